import { shopsWith, type Actor, type MetricKey } from '@shopcrew/shared';
import type { Logger } from '../../lib/logger';
import type { EventTypeDef } from '../../platform/events';
import type { UnitOfWork } from '../../platform/tx';
import { addDays, dayIn } from './days';
import type { MetricQuery } from './metric-query';

/** What the reports need of the organisation, the roles and the shops (other modules' services, never their tables). */
export interface ReportDeps {
  departments(): Promise<Array<{ id: number; name: string; parentId: number | null }>>;
  /** The nearest active leader at or above a department (WeCom's is_leader_in_dept, else department_leader). */
  leaderFrom(departmentId: number): Promise<string | null>;
  membersUnder(departmentId: number): Promise<string[]>;
  namesOf(userids: readonly string[]): Promise<Map<string, string>>;
  actor(userid: string): Promise<Actor>;
  shops(): Promise<Array<{ shopId: string; name: string }>>;
}

export type ReportKind = 'daily' | 'weekly';

const REPORT_FIELDS: EventTypeDef['fields'] = {
  department_id: { label: '部门ID', type: 'number', example: 2 },
  department: { label: '部门', type: 'string', example: '客服部' },
  assignee: { label: '部门负责人账号', type: 'string', example: 'wangfang' },
  period: { label: '时间段', type: 'string', example: '2026-12-01' },
  shops: { label: '店铺', type: 'string', example: '星河旗舰店 (Shopee SG)' },
  summary: {
    label: '汇总',
    type: 'string',
    example: 'GMV SGD 1,234.50（较前日 +12.0%）· 订单 42（较前日 +5）\n退款率 3.2% · 准时发货率 96.0% · 平均认领 8 分钟 · 首次响应 15 分钟',
  },
  url: { label: '链接', type: 'string', optional: true },
};

/** The department reports: to each department's lead, corp-wide default rules (they arrive without setup). */
export const REPORT_EVENTS: EventTypeDef[] = [
  {
    type: 'metric.daily_report',
    label: '部门日报',
    fields: REPORT_FIELDS,
    template: '【部门日报】{department} · {period}\n{shops}\n{summary}',
    defaultRules: [{ name: '部门日报', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
  {
    type: 'metric.weekly_report',
    label: '部门周报',
    fields: REPORT_FIELDS,
    template: '【部门周报】{department} · {period}\n{shops}\n{summary}',
    defaultRules: [{ name: '部门周报', format: 'text', people: ['assignee'], scope: 'corp' }],
  },
];

/** Members listed per report (most active first); the rest are counted. */
const LISTED = 8;

const num = (v: number, digits = 0) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
const money = (v: number, currency: string | null) => `${currency ?? ''} ${num(v, 2)}`.trim();
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
function minutes(v: number | null): string {
  if (v === null) return '—';
  const m = Math.round(v);
  return m < 60 ? `${m} 分钟` : `${Math.floor(m / 60)} 小时${m % 60 ? ` ${m % 60} 分` : ''}`;
}
function change(now: number, before: number | null | undefined, asPercent: boolean, word: string): string {
  if (before === null || before === undefined) return '';
  if (asPercent) {
    if (before === 0) return '';
    const d = ((now - before) / before) * 100;
    return `（${word} ${d >= 0 ? '+' : ''}${d.toFixed(1)}%）`;
  }
  const d = now - before;
  return `（${word} ${d >= 0 ? '+' : ''}${num(d)}）`;
}

/**
 * Daily and weekly reports per department (issue 13 §5), published at DIGEST_DAILY_AT (yesterday) and on Mondays at
 * DIGEST_WEEKLY_AT (last week, Monday to Sunday) in TZ_CORP, as `metric.daily_report` / `metric.weekly_report`, one per
 * department that has a lead of its own (a department whose nearest leader is its parent's has none: its team is in
 * the parent's report), to that lead: the figures of the shops the lead may read (metrics:read; a lead without it gets
 * none) — GMV per currency and orders beside the period before, refund rate, on-time shipping, time to claim, first
 * response, after-sales resolved, time to resolve and breaches — and the team's members (the department and those
 * below it) with their claims, first response and cases resolved. A report with nothing to tell (no orders, no cases)
 * is not sent. One unit publishes them all, so a retried run publishes nothing twice.
 */
export class DepartmentReports {
  constructor(
    private readonly figures: MetricQuery,
    private readonly deps: ReportDeps,
    private readonly uow: UnitOfWork,
    private readonly timeZone: string,
    private readonly logger: Logger,
  ) {}

  /** The days a report made at `at` covers: yesterday, or last week's Monday to Sunday. */
  period(kind: ReportKind, at: number): { from: string; to: string; label: string; before: { from: string; to: string } } {
    const today = dayIn(this.timeZone, at);
    if (kind === 'daily') {
      const day = addDays(today, -1);
      return { from: day, to: day, label: day, before: { from: addDays(day, -1), to: addDays(day, -1) } };
    }
    const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    const from = addDays(today, -dow - 7);
    const to = addDays(from, 6);
    return { from, to, label: `${from} ~ ${to}`, before: { from: addDays(from, -7), to: addDays(to, -7) } };
  }

  /** The reports due at `at`, each a payload for its event (what `publish` sends). */
  async compose(kind: ReportKind, at: number): Promise<Array<Record<string, unknown>>> {
    const p = this.period(kind, at);
    const departments = await this.deps.departments();
    const leadOf = new Map<number, string | null>();
    for (const d of departments) leadOf.set(d.id, await this.deps.leaderFrom(d.id));
    const shopNames = new Map((await this.deps.shops()).map((s) => [s.shopId, s.name]));
    const out: Array<Record<string, unknown>> = [];
    for (const d of departments) {
      const lead = leadOf.get(d.id);
      if (!lead || (d.parentId !== null && leadOf.get(d.parentId) === lead)) continue;
      const shops = shopsWith(await this.deps.actor(lead), 'metrics:read');
      const readable = shops === 'all' ? [...shopNames.keys()] : shops.filter((s) => shopNames.has(s));
      if (!readable.length) continue;
      const summary = await this.summary(kind, p, shops, await this.deps.membersUnder(d.id));
      if (!summary) continue;
      out.push({
        department_id: d.id,
        department: d.name,
        assignee: lead,
        period: p.label,
        shops: `店铺：${readable.map((s) => shopNames.get(s) ?? s).join('、')}`,
        summary,
        url: kind === 'daily' ? `/data?from=${p.from}&to=${p.to}` : `/data?from=${p.from}&to=${p.to}&g=week`,
      });
    }
    return out;
  }

  async publish(kind: ReportKind, at: number): Promise<number> {
    const payloads = await this.compose(kind, at);
    if (!payloads.length) return 0;
    await this.uow.run({ actor: 'system', requestId: `metrics.report.${kind}:${at}` }, async (tx) => {
      await tx.publishMany(payloads.map((payload) => ({ type: `metric.${kind}_report`, payload })));
    });
    this.logger.info({ kind, reports: payloads.length }, 'department reports published');
    return payloads.length;
  }

  private async team(metric: MetricKey, range: { from: string; to: string }, shops: 'all' | readonly string[]) {
    return (await this.figures.compute({ metric, scope: 'team', ...range, granularity: 'day', limit: 20 }, shops)).series;
  }

  private async total(metric: MetricKey, range: { from: string; to: string }, shops: 'all' | readonly string[]): Promise<number | null> {
    return (await this.team(metric, range, shops))[0]?.total ?? null;
  }

  private async summary(
    kind: ReportKind,
    p: { from: string; to: string; before: { from: string; to: string } },
    shops: 'all' | readonly string[],
    members: string[],
  ): Promise<string | null> {
    const word = kind === 'daily' ? '较前日' : '较上周';
    const range = { from: p.from, to: p.to };
    const gmv = await this.team('gmv', range, shops);
    const gmvBefore = new Map((await this.team('gmv', p.before, shops)).map((s) => [s.currency, s.total]));
    const orders = (await this.total('orders', range, shops)) ?? 0;
    const ordersBefore = await this.total('orders', p.before, shops);
    const cases = (await this.total('cases_opened', range, shops)) ?? 0;
    const resolved = (await this.total('resolved_cases', range, shops)) ?? 0;
    if (!gmv.length && !orders && !cases && !resolved) return null;
    const lines: string[] = [];
    const money1 = gmv.length
      ? gmv.map((s) => `GMV ${money(s.total ?? 0, s.currency)}${change(s.total ?? 0, gmvBefore.get(s.currency), true, word)}`).join(' · ')
      : 'GMV 0';
    lines.push(`${money1} · 订单 ${num(orders)}${change(orders, ordersBefore ?? 0, false, word)}`);
    lines.push(
      [
        `退款率 ${pct(await this.total('refund_rate', range, shops))}`,
        `准时发货率 ${pct(await this.total('on_time_rate', range, shops))}`,
        `平均认领 ${minutes(await this.total('claim_minutes', range, shops))}`,
        `首次响应 ${minutes(await this.total('first_response_minutes', range, shops))}`,
      ].join(' · '),
    );
    lines.push(
      `售后：新增 ${num(cases)} · 解决 ${num(resolved)} · 平均解决 ${minutes(await this.total('resolution_minutes', range, shops))} · 超时 ${num(
        (await this.total('sla_breaches', range, shops)) ?? 0,
      )} 次`,
    );
    const people = await this.people(range, shops, members);
    if (people.length) lines.push('成员：', ...people);
    return lines.join('\n');
  }

  /** The team's members with something to show: claims, time to claim, first response, cases resolved. */
  private async people(range: { from: string; to: string }, shops: 'all' | readonly string[], members: string[]): Promise<string[]> {
    const team = new Set(members);
    const byMember = async (metric: MetricKey) =>
      new Map(
        (await this.figures.compute({ metric, scope: 'member', ...range, granularity: 'day', limit: 100 }, shops)).series
          .filter((s) => team.has(s.key))
          .map((s) => [s.key, s.total]),
      );
    const [claimed, claimMinutes, response, resolved] = await Promise.all([
      byMember('claimed_orders'),
      byMember('claim_minutes'),
      byMember('first_response_minutes'),
      byMember('resolved_cases'),
    ]);
    const who = [...new Set([...claimed.keys(), ...response.keys(), ...resolved.keys()])];
    if (!who.length) return [];
    const names = await this.deps.namesOf(who);
    const ranked = who
      .map((u) => ({ u, claimed: claimed.get(u) ?? 0, resolved: resolved.get(u) ?? 0 }))
      .sort((a, b) => b.claimed + b.resolved - (a.claimed + a.resolved) || (names.get(a.u) ?? a.u).localeCompare(names.get(b.u) ?? b.u, 'zh-CN'));
    const lines = ranked.slice(0, LISTED).map(({ u, claimed: c, resolved: r }) => {
      const parts = [`${names.get(u) ?? u}`];
      if (c) parts.push(`认领 ${num(c)} 单（平均 ${minutes(claimMinutes.get(u) ?? null)}）`);
      if (response.has(u)) parts.push(`首次响应 ${minutes(response.get(u) ?? null)}`);
      if (r) parts.push(`解决售后 ${num(r)} 件`);
      return parts.join(' · ');
    });
    if (ranked.length > LISTED) lines.push(`…另有 ${ranked.length - LISTED} 人`);
    return lines;
  }
}
