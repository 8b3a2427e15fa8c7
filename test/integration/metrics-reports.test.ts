/**
 * Daily and weekly reports per department, on every database of the matrix, from hand-written daily rollups of the
 * demo shop in Asia/Shanghai: who gets one (each department with a lead of its own, the lead holding metrics:read),
 * what the 客服部 lead reads (the shop's figures beside the day before, and the team's members only), the weekly
 * period (Monday to Sunday before the Monday it is sent), and that the corp-wide default rule brings it to the lead's
 * WeCom without any setup.
 */
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { MetricDaily } from '../../server/src/modules/metrics/metric.entity';
import { NotificationRule } from '../../server/src/modules/notifications/rule.entity';
import { testDatabases } from '../support/databases';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const sh = (local: string) => Date.parse(`${local}+08:00`);

describe.each(testDatabases())('department reports ($label)', ({ kind }) => {
  let stack: Stack;
  let shop: string;

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true, env: { TZ_CORP: 'Asia/Shanghai' } });
    shop = stack.shopId!;
    const rows: Array<[string, 'shop' | 'member', string, string, string, number]> = [
      // Monday 2026-11-30, the day the daily report of Tuesday 12-01 tells
      ['2026-11-30', 'shop', shop, 'gmv', 'SGD', 1200],
      ['2026-11-30', 'shop', shop, 'orders', 'SGD', 40],
      ['2026-11-30', 'shop', shop, 'shipped_orders', '', 30],
      ['2026-11-30', 'shop', shop, 'on_time_orders', '', 27],
      ['2026-11-30', 'shop', shop, 'refunded_orders', '', 3],
      ['2026-11-30', 'shop', shop, 'claimed_orders', '', 22],
      ['2026-11-30', 'shop', shop, 'claim_minutes', '', 220],
      ['2026-11-30', 'shop', shop, 'responded_cases', '', 4],
      ['2026-11-30', 'shop', shop, 'response_minutes', '', 120],
      ['2026-11-30', 'shop', shop, 'cases_opened', '', 5],
      ['2026-11-30', 'shop', shop, 'resolved_cases', '', 2],
      ['2026-11-30', 'shop', shop, 'resolution_minutes', '', 600],
      ['2026-11-30', 'shop', shop, 'sla_breaches', '', 1],
      ['2026-11-30', 'member', U.csAgent, 'claimed_orders', '', 12],
      ['2026-11-30', 'member', U.csAgent, 'claim_minutes', '', 96],
      ['2026-11-30', 'member', U.csAgent, 'responded_cases', '', 3],
      ['2026-11-30', 'member', U.csAgent, 'response_minutes', '', 60],
      ['2026-11-30', 'member', U.csAgent, 'resolved_cases', '', 2],
      ['2026-11-30', 'member', U.csAgent2, 'claimed_orders', '', 8],
      ['2026-11-30', 'member', U.csAgent2, 'claim_minutes', '', 104],
      ['2026-11-30', 'member', U.csAgent2, 'responded_cases', '', 1],
      ['2026-11-30', 'member', U.csAgent2, 'response_minutes', '', 60],
      ['2026-11-30', 'member', U.opsStaff, 'claimed_orders', '', 2], // 运营部: not in 客服部's report
      ['2026-11-30', 'member', U.opsStaff, 'claim_minutes', '', 20],
      // Sunday 11-29: the day before, and the last day of the week the Monday 11-30 weekly report tells
      ['2026-11-29', 'shop', shop, 'gmv', 'SGD', 1000],
      ['2026-11-29', 'shop', shop, 'orders', 'SGD', 36],
      // Sunday 11-22: the week before that one
      ['2026-11-22', 'shop', shop, 'gmv', 'SGD', 800],
      ['2026-11-22', 'shop', shop, 'orders', 'SGD', 30],
    ];
    await stack.app.container.ds
      .getRepository(MetricDaily)
      .insert(rows.map(([day, scope, scopeKey, measure, currency, value]) => ({ day, shopId: shop, scope, scopeKey, measure, currency, value })));
  }, 60_000);
  afterAll(() => stack?.close());

  it('one report per department with a lead of its own who may read the figures', async () => {
    const reports = await stack.app.container.metricReports.compose('daily', sh('2026-12-01T18:07:00'));
    expect(reports.map((r) => [r['department'], r['assignee']]).sort()).toEqual(
      [
        ['客服部', U.csLead], // 售前组's lead is 王芳 too: its team is in 客服部's report
        ['售后组', U.csAftersaleLead],
        ['运营部', U.opsManager],
        ['财务部', U.financeLead],
        ['店长办公室', U.owner],
      ].sort(),
    ); // 仓储部, 广告部 and 美工部's leads may not read figures
    expect(reports.every((r) => r['period'] === '2026-11-30' && r['shops'] === '店铺：星河旗舰店 (Shopee SG)')).toBe(true);
  });

  it('the 客服部 lead reads the shop’s day beside the day before, and the team’s members', async () => {
    const reports = await stack.app.container.metricReports.compose('daily', sh('2026-12-01T18:07:00'));
    const cs = reports.find((r) => r['assignee'] === U.csLead)!;
    expect(cs['summary']).toBe(
      [
        'GMV SGD 1,200.00（较前日 +20.0%） · 订单 40（较前日 +4）',
        '退款率 10.0% · 准时发货率 90.0% · 平均认领 10 分钟 · 首次响应 30 分钟',
        '售后：新增 5 · 解决 2 · 平均解决 5 小时 · 超时 1 次',
        '成员：',
        '李娜 · 认领 12 单（平均 8 分钟） · 首次响应 20 分钟 · 解决售后 2 件',
        '赵磊 · 认领 8 单（平均 13 分钟） · 首次响应 1 小时',
      ].join('\n'),
    );
    const aftersales = reports.find((r) => r['assignee'] === U.csAftersaleLead)!;
    expect(String(aftersales['summary']).split('\n').slice(3)).toEqual(['成员：', '赵磊 · 认领 8 单（平均 13 分钟） · 首次响应 1 小时']);
    expect(cs['url']).toBe('/data?from=2026-11-30&to=2026-11-30');
  });

  it('the weekly report tells last week, Monday to Sunday, beside the week before', async () => {
    const r = stack.app.container.metricReports;
    expect(r.period('weekly', sh('2026-11-30T09:07:00'))).toMatchObject({ from: '2026-11-23', to: '2026-11-29', label: '2026-11-23 ~ 2026-11-29' });
    expect(r.period('weekly', sh('2026-12-03T09:07:00'))).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    const weekly = await r.compose('weekly', sh('2026-11-30T09:07:00'));
    const cs = weekly.find((x) => x['assignee'] === U.csLead)!;
    expect(String(cs['summary']).split('\n')[0]).toBe('GMV SGD 1,000.00（较上周 +25.0%） · 订单 36（较上周 +6）');
    expect(await r.compose('weekly', sh('2026-11-16T09:07:00'))).toEqual([]); // a week with nothing to tell sends nothing
  });

  it('arrives in the lead’s WeCom through the corp-wide default rule, with no setup', async () => {
    const c = stack.app.container;
    const rule = await c.ds.getRepository(NotificationRule).findOneBy({ eventType: 'metric.daily_report' });
    expect(rule).toMatchObject({ shopId: null, channel: 'app' });
    expect(await c.metricReports.publish('daily', sh('2026-12-01T18:07:00'))).toBe(5);
    const text = await waitFor(
      () =>
        stack.sim
          .inboxOf(U.csLead)
          .map((m) => JSON.stringify(m.content))
          .find((t) => t.includes('部门日报')),
      '王芳 got her report',
    );
    expect(text).toContain('客服部 · 2026-11-30');
    expect(text).toContain('李娜 · 认领 12 单');
  });
});
