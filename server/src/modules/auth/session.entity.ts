import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../../db/columns';

/**
 * A signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so a leaked
 * database row cannot be replayed as a cookie.
 */
@Entity('sessions')
@Index('idx_sessions_userid', ['userid'])
export class Session {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash!: string;

  @Column({ type: 'varchar', length: 64 })
  userid!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs })
  revokedAt!: number | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, default: '' })
  userAgent!: string;
}

/**
 * OAuth `state`: single use, expiring, and bound to the browser that started sign-in through a
 * nonce cookie whose hash is stored here (login CSRF protection).
 */
@Entity('oauth_states')
export class OAuthState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state!: string;

  @Column({ name: 'browser_hash', type: 'varchar', length: 64 })
  browserHash!: string;

  @Column({ type: 'varchar', length: 1024 })
  redirect!: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs })
  usedAt!: number | null;
}
