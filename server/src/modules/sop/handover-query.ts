import type { DataSource } from 'typeorm';
import type { Actor, HandoverResponse } from '@shopcrew/shared';
import { ForbiddenError } from '../../errors';
import { HandoverRow } from './sop.entity';

export interface HandoverQueryDeps {
  namesOf(userids: readonly string[]): Promise<Map<string, string>>;
  /** The member's leads now (their departments' leaders). */
  leadsOf(userid: string): Promise<string[]>;
  isOwner(actor: Actor): boolean;
}

/** GET /api/handovers/:userid — owners, the member's leads, and whoever received the handover. */
export class HandoverQuery {
  constructor(
    private readonly ds: DataSource,
    private readonly deps: HandoverQueryDeps,
  ) {}

  async of(actor: Actor, userid: string): Promise<HandoverResponse> {
    const rows = await this.ds.getRepository(HandoverRow).find({ where: { userid }, order: { id: 'DESC' }, take: 20 });
    const allowed = this.deps.isOwner(actor) || rows.some((r) => r.lead === actor.userid) || (await this.deps.leadsOf(userid)).includes(actor.userid);
    if (!allowed) throw new ForbiddenError('只有店长和该成员的上级可以查看交接记录 (owners and the member’s leads only)');
    const names = await this.deps.namesOf([userid, ...rows.flatMap((r) => (r.lead ? [r.lead] : []))]);
    const person = (u: string) => ({ userid: u, name: names.get(u) ?? u });
    return {
      items: rows.map((r) => ({
        id: r.id,
        member: person(r.userid),
        reason: r.reason,
        lead: r.lead ? person(r.lead) : null,
        at: new Date(r.at).toISOString(),
        items: r.items,
        runId: r.runId,
      })),
    };
  }
}
