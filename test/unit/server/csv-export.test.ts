/** The platform's CSV encoder (platform/exports.ts): BOM, RFC 4180 quoting, CSV-injection neutralising, the registry. */
import {
  contentDisposition,
  csvCell,
  csvChunks,
  csvRow,
  dayRange,
  ExportRegistry,
  formatTime,
  isDay,
  type ExportDef,
} from '../../../server/src/platform/exports';

/** Pages as a module yields them (each after a query). */
async function* pagesOf(list: unknown[][][]): AsyncGenerator<unknown[][]> {
  for (const page of list) {
    await Promise.resolve();
    yield page;
  }
}

describe('csvCell', () => {
  test.each([
    ['plain Chinese', '陈静', '陈静'],
    ['a number', 42, '42'],
    ['a negative number the server computed', -3.5, '-3.5'],
    ['not a number', Number.NaN, ''],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['true', true, '是'],
    ['false', false, '否'],
    ['a comma', '店铺,一', '"店铺,一"'],
    ['quotes', '说 "你好"', '"说 ""你好"""'],
    ['a newline', '第一行\n第二行', '"第一行\n第二行"'],
    ['CRLF inside', 'a\r\nb', '"a\r\nb"'],
    ['a formula', '=1+2', "'=1+2"],
    ['a plus', '+86 138', "'+86 138"],
    ['a minus in text', '-1', "'-1"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading carriage return', '\r=1', `"'\r=1"`],
    ['a formula that also needs quotes', '=HYPERLINK("http://x","点我")', `"'=HYPERLINK(""http://x"",""点我"")"`],
    ['= later in the text', 'a=b', 'a=b'],
  ])('%s', (_label, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe('csvRow and csvChunks', () => {
  test('a row is CRLF-terminated', () => {
    expect(csvRow(['订单号', 12, null, '=x'])).toBe("订单号,12,,'=x\r\n");
  });

  test('the file: UTF-8 BOM bytes, the Chinese header, then each page', async () => {
    const pages = () =>
      pagesOf([
        [['A1', '星河旗舰店']],
        [],
        [
          ['A2', '=cmd|/C calc'],
          ['A3', '多行\n文本'],
        ],
      ]);
    const chunks: Buffer[] = [];
    for await (const c of csvChunks(['订单号', '店铺'], pages())) chunks.push(c);
    expect(chunks).toHaveLength(3); // the empty page writes nothing
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFF订单号,店铺\r\nA1,星河旗舰店\r\nA2,\'=cmd|/C calc\r\nA3,"多行\n文本"\r\n');
  });

  test('stopping early ends the pages (the client went away)', async () => {
    let finished = false;
    async function* pages() {
      try {
        for (let i = 0; ; i++) {
          await Promise.resolve();
          yield [[i]];
        }
      } finally {
        finished = true;
      }
    }
    const it = csvChunks(['n'], pages());
    await it.next();
    await it.next();
    await it.return(undefined);
    expect(finished).toBe(true);
  });
});

describe('names, times and days', () => {
  const at = Date.UTC(2025, 0, 31, 16, 30, 5); // 2025-02-01 00:30:05 in Shanghai

  test('times in the corp time zone as YYYY-MM-DD HH:mm:ss', () => {
    expect(formatTime(at, 'Asia/Shanghai')).toBe('2025-02-01 00:30:05');
    expect(formatTime(null, 'Asia/Shanghai')).toBe('');
  });

  test('the attachment is named by label and date, UTF-8 percent-encoded, with an ASCII fallback', () => {
    expect(contentDisposition({ kind: 'orders', label: '订单' }, at, 'Asia/Shanghai')).toBe(
      `attachment; filename="orders-20250201.csv"; filename*=UTF-8''%E8%AE%A2%E5%8D%95-20250201.csv`,
    );
    expect(contentDisposition({ kind: 'x', label: "a'b (c)" }, at, 'UTC')).toBe(
      `attachment; filename="x-20250131.csv"; filename*=UTF-8''a%27b%20%28c%29-20250131.csv`,
    );
  });

  test('days from and to, both included, in the time zone', () => {
    expect(dayRange('Asia/Shanghai', '2025-02-01', '2025-02-01')).toEqual({ start: Date.UTC(2025, 0, 31, 16), end: Date.UTC(2025, 1, 1, 16) });
    expect(dayRange('UTC', undefined, '2025-12-31')).toEqual({ end: Date.UTC(2026, 0, 1) });
    expect(dayRange('UTC')).toEqual({});
    expect([isDay('2025-02-28'), isDay('2025-02-30'), isDay('2025-2-1'), isDay('')]).toEqual([true, false, false, false]);
  });
});

describe('ExportRegistry', () => {
  const def = (kind: string): ExportDef => ({
    kind,
    label: '订单',
    permission: 'orders:read',
    header: ['订单号'],
    rows: () => pagesOf([]),
  });

  test('kinds are unique across modules and URL-safe', () => {
    const registry = new ExportRegistry();
    registry.add(def('orders'), 'orders');
    expect(() => registry.add(def('orders'), 'other')).toThrow('duplicate export "orders": registered by module orders and again by module other');
    expect(() => registry.add(def('Orders/x'), 'other')).toThrow(/lower case/);
    expect(registry.get('orders')?.label).toBe('订单');
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.all().map((d) => d.kind)).toEqual(['orders']);
  });
});
