import { createHash, randomBytes } from 'node:crypto';
import { IsNull, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { Member } from '../org/member.entity';
import { Session } from './session.entity';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Database-backed sessions. The cookie holds 32 random bytes; the table holds their hash.
 * A session is valid only while it is unexpired, unrevoked and its member is active, so a member
 * removed in WeCom loses access on their very next request.
 */
export class SessionService {
  constructor(
    private readonly ds: DataSource,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userid: string, userAgent: string, manager: EntityManager): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    await manager.insert(Session, {
      idHash: sha256(token),
      userid,
      createdAt: now,
      expiresAt: now + this.ttlMs,
      revokedAt: null,
      userAgent: userAgent.slice(0, 255),
    });
    return token;
  }

  /** The userid behind a cookie token, or null when the session is gone or the member is not active. */
  async resolve(token: string | undefined): Promise<string | null> {
    if (!token || token.length > 128) return null;
    const row = await this.ds
      .getRepository(Session)
      .createQueryBuilder('s')
      .innerJoin(Member, 'm', 'm.userid = s.userid')
      .where('s.id_hash = :h AND s.revoked_at IS NULL AND s.expires_at > :now AND m.active = :active', { h: sha256(token), now: this.now(), active: true })
      .getOne();
    return row?.userid ?? null;
  }

  async revoke(token: string, manager: EntityManager): Promise<string | null> {
    const row = await manager.findOneBy(Session, { idHash: sha256(token), revokedAt: IsNull() });
    if (!row) return null;
    await manager.update(Session, { idHash: row.idHash }, { revokedAt: this.now() });
    return row.userid;
  }

  /** Revoke a member's sessions; with `createdBefore`, only those that existed at that time (an event's). */
  async revokeAllFor(userid: string, manager: EntityManager, createdBefore?: number): Promise<number> {
    const where = { userid, revokedAt: IsNull(), ...(createdBefore !== undefined ? { createdAt: LessThanOrEqual(createdBefore) } : {}) };
    const result = await manager.update(Session, where, { revokedAt: this.now() });
    return result.affected ?? 0;
  }
}
