/**
 * The 数据 page's alert-line editor without a browser (h5/src/components/metrics/alertLine.ts): the metrics offered and
 * where each may be watched, the threshold as typed (a rate or a share of the target in %) ⇄ the API's number, the draft
 * kept consistent as metric, shop and SKU change, our checks before saving, the body sent, where a 422 belongs, the
 * target a line compares with (a shop's, a SKU's, the team's summed per currency) and the list's order.
 */
import { METRIC_DEFS, type AlertLine, type MetricTarget } from '@shopcrew/shared';
import {
  ALERT_METRICS,
  alertInput,
  alertProblem,
  blankDraft,
  draftOfLine,
  fieldOfAlertError,
  lineInput,
  lineState,
  memberFacing,
  normalizeDraft,
  skuAllowed,
  skuRequired,
  sortLines,
  targetFor,
  teamAllowed,
  thresholdText,
  thresholdUnit,
  thresholdValue,
  type AlertDraft,
} from '../../../h5/src/components/metrics/alertLine';

const SHOPS = [
  { shopId: '1001', currency: 'SGD' },
  { shopId: '2002', currency: 'MYR' },
];
const opts = { shops: SHOPS, teamCurrencies: ['MYR', 'SGD'] };

const draft = (extra: Partial<AlertDraft> = {}): AlertDraft => ({ ...blankDraft('1001'), name: '退款率预警线', threshold: '15', ...extra });

const line = (extra: Partial<AlertLine> = {}): AlertLine => ({
  id: 1,
  name: '退款率预警线',
  metric: 'refund_rate',
  metricLabel: '退款率',
  shopId: '1001',
  sku: null,
  currency: null,
  comparison: '>',
  threshold: 0.15,
  basis: 'value',
  windowDays: 1,
  enabled: true,
  state: 'ok',
  since: null,
  checkedDay: null,
  target: null,
  text: '> 15.0%',
  ...extra,
});

describe('the metrics offered, and where', () => {
  it('offers the metrics worth watching, each one the server knows', () => {
    expect(ALERT_METRICS).toEqual(expect.arrayContaining(['gmv', 'orders', 'units', 'refund_rate', 'on_time_rate', 'claim_minutes', 'sla_breaches']));
    for (const m of ALERT_METRICS) expect(METRIC_DEFS[m]).toBeDefined();
    expect(ALERT_METRICS).not.toContain('shipped_orders');
    expect(new Set(ALERT_METRICS).size).toBe(ALERT_METRICS.length);
  });

  it('a SKU for GMV (optional) and units (required); 全部店铺 for all but units', () => {
    expect([skuAllowed('gmv'), skuRequired('gmv')]).toEqual([true, false]);
    expect([skuAllowed('units'), skuRequired('units')]).toEqual([true, true]);
    expect([skuAllowed('refund_rate'), skuRequired('refund_rate')]).toEqual([false, false]);
    expect(teamAllowed('units')).toBe(false);
    expect(teamAllowed('gmv')).toBe(true);
  });
});

describe('the threshold as typed ⇄ the API', () => {
  it('a rate in %, a share of the target in %, money, minutes and counts as they are', () => {
    expect(thresholdValue({ metric: 'refund_rate', basis: 'value', threshold: '15' })).toBe(0.15);
    expect(thresholdValue({ metric: 'refund_rate', basis: 'value', threshold: '15%' })).toBe(0.15);
    expect(thresholdValue({ metric: 'on_time_rate', basis: 'value', threshold: '97.5' })).toBe(0.975);
    expect(thresholdValue({ metric: 'units', basis: 'target', threshold: '60' })).toBe(0.6);
    expect(thresholdValue({ metric: 'gmv', basis: 'value', threshold: '1,000.5' })).toBe(1000.5);
    expect(thresholdValue({ metric: 'claim_minutes', basis: 'value', threshold: '30' })).toBe(30);
    expect(thresholdValue({ metric: 'net_gmv', basis: 'value', threshold: '-50' })).toBe(-50);
  });

  it('nothing, or not a number: null', () => {
    for (const threshold of ['', '  ', 'abc', '1e', '1.2.3', '--1']) expect(thresholdValue({ metric: 'orders', basis: 'value', threshold })).toBeNull();
  });

  it('back as the form shows it, without float noise', () => {
    expect(thresholdText({ metric: 'refund_rate', basis: 'value', threshold: 0.15 })).toBe('15');
    expect(thresholdText({ metric: 'refund_rate', basis: 'value', threshold: 0.07 })).toBe('7');
    expect(thresholdText({ metric: 'units', basis: 'target', threshold: 0.6 })).toBe('60');
    expect(thresholdText({ metric: 'gmv', basis: 'value', threshold: 1200 })).toBe('1200');
  });

  it('the unit the field shows', () => {
    expect(thresholdUnit({ metric: 'refund_rate', basis: 'value' })).toBe('percent');
    expect(thresholdUnit({ metric: 'gmv', basis: 'value' })).toBe('money');
    expect(thresholdUnit({ metric: 'gmv', basis: 'target' })).toBe('target');
    expect(thresholdUnit({ metric: 'claim_minutes', basis: 'value' })).toBe('minutes');
    expect(thresholdUnit({ metric: 'orders', basis: 'value' })).toBe('count');
  });
});

describe('the draft kept consistent', () => {
  it('units needs a shop; a SKU leaves with a metric that has none, or with 全部店铺', () => {
    expect(normalizeDraft(draft({ metric: 'units', shopId: null }), opts).shopId).toBe('1001');
    expect(normalizeDraft(draft({ metric: 'refund_rate', sku: 'CUP-500' }), opts).sku).toBe('');
    expect(normalizeDraft(draft({ metric: 'gmv', sku: 'CUP-500', shopId: null, currency: 'SGD' }), opts).sku).toBe('');
    expect(normalizeDraft(draft({ metric: 'gmv', sku: 'CUP-500' }), opts).sku).toBe('CUP-500');
  });

  it('money in the shop’s currency, or one of the shops’ for 全部店铺; none for other units', () => {
    expect(normalizeDraft(draft({ metric: 'gmv', shopId: '2002' }), opts).currency).toBe('MYR');
    expect(normalizeDraft(draft({ metric: 'gmv', shopId: null, currency: null }), opts).currency).toBe('MYR');
    expect(normalizeDraft(draft({ metric: 'gmv', shopId: null, currency: 'SGD' }), opts).currency).toBe('SGD');
    expect(normalizeDraft(draft({ metric: 'orders', currency: 'SGD' }), opts).currency).toBeNull();
  });

  it('the target basis only for a metric with targets', () => {
    expect(normalizeDraft(draft({ metric: 'refund_rate', basis: 'target' }), opts).basis).toBe('value');
    expect(normalizeDraft(draft({ metric: 'orders', basis: 'target' }), opts).basis).toBe('target');
  });
});

describe('checks before saving, and the body', () => {
  it('a name, a SKU for units, a shop for a SKU, a currency for money, a number, 1–30 days', () => {
    expect(alertProblem(draft())).toBeNull();
    expect(alertProblem(draft({ name: '  ' }))).toBe('name');
    expect(alertProblem(draft({ metric: 'units', sku: '' }))).toBe('sku');
    expect(alertProblem(draft({ metric: 'gmv', currency: 'SGD', sku: 'X'.repeat(65) }))).toBe('sku');
    expect(alertProblem(draft({ metric: 'gmv', currency: 'SGD', sku: 'CUP', shopId: null }))).toBe('shopId');
    expect(alertProblem(draft({ metric: 'gmv', currency: null }))).toBe('currency');
    expect(alertProblem(draft({ threshold: '' }))).toBe('threshold');
    expect(alertProblem(draft({ windowDays: 0 }))).toBe('windowDays');
    expect(alertProblem(draft({ windowDays: 31 }))).toBe('windowDays');
    // A share of the target beyond 1000 % is the server's to refuse (its 422 names the threshold).
    expect(alertProblem(draft({ metric: 'orders', basis: 'target', threshold: '2000' }))).toBeNull();
  });

  it('sends the API’s numbers, a SKU only where it belongs', () => {
    expect(alertInput(draft({ windowDays: 3 }))).toEqual({
      name: '退款率预警线',
      metric: 'refund_rate',
      shopId: '1001',
      sku: null,
      currency: null,
      comparison: '>',
      threshold: 0.15,
      basis: 'value',
      windowDays: 3,
      enabled: true,
    });
    expect(alertInput(draft({ name: ' 保温杯 ', metric: 'units', sku: ' FLASK-500 ', comparison: '<', basis: 'target', threshold: '60' }))).toMatchObject({
      name: '保温杯',
      sku: 'FLASK-500',
      basis: 'target',
      threshold: 0.6,
    });
    expect(alertInput(draft({ metric: 'refund_rate', basis: 'target', currency: 'SGD' }))).toMatchObject({ basis: 'value', currency: null });
  });

  it('a saved line round-trips through the form unchanged', () => {
    const saved = line({ metric: 'units', sku: 'FLASK-500', comparison: '<', threshold: 0.6, basis: 'target', windowDays: 3, target: 10 });
    expect(alertInput(draftOfLine(saved))).toEqual(lineInput(saved));
    expect(lineInput(saved, false).enabled).toBe(false);
  });
});

describe('where a 422 belongs', () => {
  it('the server’s own check names the field; a schema error by its path', () => {
    expect(fieldOfAlertError({ status: 422, details: { field: 'threshold' } })).toBe('threshold');
    expect(fieldOfAlertError({ status: 422, details: { field: 'currency' } })).toBe('currency');
    expect(fieldOfAlertError({ status: 422, details: [{ path: ['windowDays'], message: 'Number must be greater than or equal to 1' }] })).toBe('windowDays');
    expect(fieldOfAlertError({ status: 422, details: [{ path: ['threshold'], message: 'Required' }] })).toBe('threshold');
    expect(fieldOfAlertError({ status: 422, details: [{ path: [], message: 'Unrecognized key' }] })).toBeNull();
    expect(fieldOfAlertError({ status: 422, details: { field: 'id' } })).toBeNull();
    expect(fieldOfAlertError({ status: 403, details: { field: 'threshold' } })).toBeNull();
  });

  it('a bilingual sentence is shown as it is; an English-only schema message is not', () => {
    expect(memberFacing('对比目标时，阈值是目标的倍数 (a ratio of the target, 0–10)')).toBe(true);
    expect(memberFacing('windowDays: Number must be greater than or equal to 1')).toBe(false);
  });
});

describe('the target a line compares with', () => {
  const target = (extra: Partial<MetricTarget>): MetricTarget => ({
    id: 1,
    shopId: '1001',
    shopName: '星河旗舰店',
    sku: null,
    metric: 'gmv',
    currency: 'SGD',
    daily: 900,
    updatedBy: 'chenjing',
    updatedAt: '2026-11-01T00:00:00Z',
    progress: null,
    ...extra,
  });
  const targets = [
    target({}),
    target({ id: 2, sku: 'FLASK-500', metric: 'units', currency: null, daily: 10 }),
    target({ id: 3, shopId: '3003', daily: 100.1 }),
    target({ id: 4, shopId: '2002', currency: 'MYR', daily: 500 }),
    target({ id: 5, metric: 'orders', currency: null, daily: 40 }),
  ];

  it('a shop’s own, a SKU’s, or the team’s summed in one currency; null where none is set', () => {
    expect(targetFor(targets, { metric: 'gmv', shopId: '1001', sku: '', currency: 'SGD' })).toBe(900);
    expect(targetFor(targets, { metric: 'units', shopId: '1001', sku: 'FLASK-500', currency: null })).toBe(10);
    expect(targetFor(targets, { metric: 'units', shopId: '1001', sku: 'CUP-500', currency: null })).toBeNull();
    expect(targetFor(targets, { metric: 'gmv', shopId: null, sku: '', currency: 'SGD' })).toBe(1000.1);
    expect(targetFor(targets, { metric: 'gmv', shopId: null, sku: '', currency: 'MYR' })).toBe(500);
    expect(targetFor(targets, { metric: 'orders', shopId: null, sku: '', currency: null })).toBe(40);
    expect(targetFor(targets, { metric: 'orders', shopId: '2002', sku: '', currency: null })).toBeNull();
    expect(targetFor(targets, { metric: 'refund_rate', shopId: '1001', sku: '', currency: null })).toBeNull();
  });
});

describe('the list', () => {
  it('fired first, then enabled, then by name; each row’s state', () => {
    const lines = [
      line({ id: 1, name: 'B 正常' }),
      line({ id: 2, name: 'A 停用', enabled: false, state: 'breached' }),
      line({ id: 3, name: 'C 已触发', state: 'breached', since: '2026-11-24' }),
      line({ id: 4, name: 'A 正常' }),
    ];
    expect(sortLines(lines).map((l) => l.id)).toEqual([3, 4, 1, 2]);
    expect(lines.map(lineState)).toEqual(['ok', 'off', 'breached', 'ok']);
  });
});
