import { formatDateTime } from '@shopcrew/shared';

describe('formatDateTime (shared by the audit CSV and the H5)', () => {
  const at = Date.UTC(2025, 0, 31, 16, 30, 5); // 2025-01-31 16:30:05 UTC

  test('to the second, 24-hour, in the given time zone and locale', () => {
    expect(formatDateTime(at, 'sv-SE', 'UTC')).toBe('2025-01-31 16:30:05');
    expect(formatDateTime(at, 'sv-SE', 'Asia/Shanghai')).toBe('2025-02-01 00:30:05');
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2025/02/01 00:30:05');
  });

  test("without a time zone, the runtime's own", () => {
    const local = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatDateTime(at, 'sv-SE')).toBe(
      `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`,
    );
  });
});
