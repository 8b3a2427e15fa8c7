import type { DataSource } from 'typeorm';
import { CASE_STATE_ZH } from '@shopcrew/shared';
import type { Logger } from '../../lib/logger';
import type { UnitOfWork } from '../../platform/tx';
import { Case } from './case.entity';
import { NO_DEADLINE } from './sla.service';

const HOUR = 3_600_000;
/** Lines listed per message; the rest are counted (`…另有 K 件`). */
const LISTED = 5;

/** `剩 3 小时 12 分` / `已超时 2 小时` from now to a deadline. */
export function remaining(dueAt: number, now: number): string {
  const minutes = Math.round(Math.abs(dueAt - now) / 60_000);
  const h = Math.floor(minutes / 60);
  const span = h >= 24 ? `${Math.floor(h / 24)} 天 ${h % 24} 小时` : h > 0 ? `${h} 小时 ${minutes % 60} 分` : `${minutes} 分`;
  return dueAt >= now ? `剩 ${span}` : `已超时 ${span}`;
}

/**
 * The daily digest of open cases per agent (issue 10 §3): at DIGEST_DAILY_AT, once across instances, every member
 * holding open cases gets `case.agent_digest` per shop: how many are open, due within two hours and breached, and the
 * most urgent ones with their countdowns. One unit publishes them all, so a retried run publishes nothing twice.
 */
export class AgentDigest {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly timeZone: string,
    private readonly logger: Logger,
  ) {}

  async publish(now: number): Promise<number> {
    const open = await this.ds
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.open = 1 AND c.assignee IS NOT NULL')
      .orderBy('c.assignee')
      .addOrderBy('c.shop_id')
      .addOrderBy('c.due_at')
      .addOrderBy('c.id')
      .getMany();
    const groups = new Map<string, Case[]>();
    for (const c of open) {
      const key = `${c.assignee}\u0000${c.shopId}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const period = new Intl.DateTimeFormat('sv-SE', { timeZone: this.timeZone }).format(now);
    const payloads = [...groups.values()].map((cases) => this.payload(cases, now, period));
    if (!payloads.length) return 0;
    await this.uow.run({ actor: 'system', requestId: `aftersales.agent_digest:${now}` }, async (tx) => {
      await tx.publishMany(payloads.map((payload) => ({ type: 'case.agent_digest', payload })));
    });
    this.logger.info({ messages: payloads.length, cases: open.length }, 'after-sales agent digest published');
    return payloads.length;
  }

  private payload(cases: Case[], now: number, period: string): Record<string, unknown> {
    const first = cases[0]!;
    const dueSoon = cases.filter((c) => !c.breached && c.dueAt !== NO_DEADLINE && c.dueAt < now + 2 * HOUR).length;
    const breached = cases.filter((c) => c.breached).length;
    const lines = cases.slice(0, LISTED).map((c) => {
      const due = c.dueAt === NO_DEADLINE ? '无时限' : remaining(c.dueAt, now);
      return `#${c.id} ${c.orderSn ?? c.title} · ${CASE_STATE_ZH[c.state]} · ${due}`;
    });
    if (cases.length > LISTED) lines.push(`…另有 ${cases.length - LISTED} 件`);
    return {
      shop_id: first.shopId,
      assignee: first.assignee,
      period,
      open: cases.length,
      due_soon: dueSoon,
      breached,
      cases: lines.join('\n'),
      url: '/cases?view=mine',
    };
  }
}
