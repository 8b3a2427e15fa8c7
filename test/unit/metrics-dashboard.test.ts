/**
 * The 数据 page's targets, alerts and after-sales rows without a browser (h5/src/components/metrics/dashboard.ts): the
 * target line on a day and a week axis (a week's days within the range only), a total's progress against a daily
 * target, the target form's checks, the alerts shown for a shop, and the after-sales table per member.
 */
import type { AlertLine, EarlyWarning, MetricSeries, MetricsResponse, MetricTarget } from '@shopcrew/shared';
import {
  barWidth,
  breachedLines,
  bucketDays,
  caseMemberRows,
  draftInput,
  draftProblem,
  sortTargets,
  targetMetricsFor,
  targetProgress,
  targetsByKey,
  targetValues,
  warningsOf,
  withTargetLine,
  type TargetDraft,
} from '../../h5/src/components/metrics/dashboard';

describe('the target line and progress', () => {
  it('a day bucket is one day within the range; a week bucket only its days within the range', () => {
    expect(bucketDays('2025-03-10', 'day', '2025-03-10', '2025-03-14')).toBe(1);
    expect(bucketDays('2025-03-09', 'day', '2025-03-10', '2025-03-14')).toBe(0);
    // Monday 03-03 to Sunday 03-09, range from Wednesday 03-05: five days; the week of 03-10 up to Friday 03-14: five.
    expect(bucketDays('2025-03-03', 'week', '2025-03-05', '2025-03-14')).toBe(5);
    expect(bucketDays('2025-03-10', 'week', '2025-03-05', '2025-03-14')).toBe(5);
    expect(targetValues(20, ['2025-03-03', '2025-03-10'], 'week', '2025-03-05', '2025-03-16')).toEqual([100, 140]);
    expect(targetValues(12.5, ['2025-03-10', '2025-03-11'], 'day', '2025-03-10', '2025-03-11')).toEqual([12.5, 12.5]);
  });

  it('progress is the total over the daily target × days; none without a target', () => {
    expect(targetProgress(45, 5, 10)).toBe(0.9);
    expect(targetProgress(null, 5, 10)).toBe(0);
    expect(targetProgress(45, undefined, 10)).toBeNull();
    expect(targetProgress(45, 0, 10)).toBeNull();
    expect([barWidth(0.9), barWidth(1.7), barWidth(null), barWidth(-1)]).toEqual([90, 100, 0, 0]);
  });

  it('targets by series key, in one currency for money', () => {
    const series = [
      { key: '1', currency: 'SGD', target: 80 },
      { key: '1', currency: 'MYR' },
      { key: '2', currency: 'SGD', target: 50 },
    ] as Array<Pick<MetricSeries, 'key' | 'currency' | 'target'>>;
    expect([...targetsByKey(series, 'SGD')]).toEqual([
      ['1', 80],
      ['2', 50],
    ]);
    expect(targetsByKey(series, 'MYR').size).toBe(0);
  });

  it('adds the target to a chart as a dashed line of its own', () => {
    const option = withTargetLine({ series: [{ type: 'line', name: '星河旗舰店', data: [1, 2] }] }, '目标', [3, 3]);
    expect(option.series).toHaveLength(2);
    expect(option.series[1]).toMatchObject({ name: '目标', data: [3, 3], lineStyle: { type: 'dashed' } });
  });
});

describe('the target form', () => {
  const draft = (d: Partial<TargetDraft>): TargetDraft => ({ shopId: '1001', scope: 'sku', sku: 'CUP', metric: 'units', daily: '20', ...d });

  it('offers the metrics that fit: a shop has GMV and orders, a SKU units and GMV', () => {
    expect(targetMetricsFor('shop')).toEqual(['gmv', 'orders']);
    expect(targetMetricsFor('sku')).toEqual(['gmv', 'units']);
  });

  it('checks a draft as the server does, and gives the PUT body', () => {
    expect(draftProblem(draft({}))).toBeNull();
    expect(draftProblem(draft({ shopId: '' }))).toBe('shop');
    expect(draftProblem(draft({ sku: '  ' }))).toBe('sku');
    expect(draftProblem(draft({ scope: 'shop', metric: 'units' }))).toBe('metric');
    expect(draftProblem(draft({ daily: '' }))).toBe('daily');
    expect(draftProblem(draft({ daily: '-3' }))).toBe('daily');
    expect(draftProblem(draft({ daily: 'abc' }))).toBe('daily');
    expect(draftInput(draft({ sku: ' CUP ', daily: ' 20.5 ' }))).toEqual({ shopId: '1001', sku: 'CUP', metric: 'units', daily: 20.5 });
    expect(draftInput(draft({ scope: 'shop', metric: 'gmv', sku: 'ignored' }))).toEqual({ shopId: '1001', sku: null, metric: 'gmv', daily: 20 });
  });

  it('lists a shop’s own targets before its SKUs', () => {
    const target = (id: number, shopName: string, sku: string | null, metric: MetricTarget['metric']) =>
      ({ id, shopId: String(id), shopName, sku, metric, currency: null, daily: 1, updatedBy: 'x', updatedAt: '', progress: null }) as MetricTarget;
    const sorted = sortTargets([
      target(1, '乙店', 'B', 'units'),
      target(2, '乙店', null, 'orders'),
      target(3, '乙店', null, 'gmv'),
      target(4, '乙店', 'A', 'units'),
    ]);
    expect(sorted.map((t) => t.id)).toEqual([3, 2, 4, 1]);
  });
});

describe('alerts and the after-sales table', () => {
  const line = (id: number, shopId: string | null, state: 'ok' | 'breached', enabled = true) => ({ id, shopId, state, enabled }) as AlertLine;

  it('shows the fired lines of the shop (and the team’s), and its warnings newest first', () => {
    const lines = [line(1, '1', 'breached'), line(2, '2', 'breached'), line(3, null, 'breached'), line(4, '1', 'ok'), line(5, '1', 'breached', false)];
    expect(breachedLines(lines).map((l) => l.id)).toEqual([1, 2, 3]);
    expect(breachedLines(lines, '1').map((l) => l.id)).toEqual([1, 3]);
    const warning = (day: string, shopId: string) => ({ day, shopId, metric: 'orders', value: 1, baseline: 1, reason: '' }) as EarlyWarning;
    expect(warningsOf([warning('2025-03-01', '1'), warning('2025-03-03', '2'), warning('2025-03-02', '1')], '1').map((w) => w.day)).toEqual([
      '2025-03-02',
      '2025-03-01',
    ]);
  });

  it('a row per member from the four answers, most resolved first, the unassigned only with something to count', () => {
    const answer = (series: Array<[string, number | null]>) =>
      ({
        series: series.map(([key, total]) => ({ key, label: key === 'lina' ? '李娜' : key, total, points: [], scope: 'member', currency: null })),
      }) as unknown as MetricsResponse;
    const rows = caseMemberRows({
      resolved_cases: answer([
        ['wangfang', 3],
        ['lina', 5],
      ]),
      first_response_minutes: answer([
        ['lina', 12],
        ['—', 40],
      ]),
      resolution_minutes: answer([['lina', 300]]),
      sla_breaches: answer([['wangfang', 1]]),
    });
    expect(rows).toEqual([
      { userid: 'lina', name: '李娜', resolved: 5, response: 12, resolution: 300, breaches: 0 },
      { userid: 'wangfang', name: 'wangfang', resolved: 3, response: null, resolution: null, breaches: 1 },
    ]);
    expect(caseMemberRows(null)).toEqual([]);
  });
});
