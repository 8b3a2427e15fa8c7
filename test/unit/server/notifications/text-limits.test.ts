/** WeCom length limits (UTF-8 bytes) and truncation that never produces invalid UTF-8. */
import { CHANNEL_LIMITS, charCount, fitLimit, truncateChars, truncateUtf8, utf8Bytes } from '../../../../server/src/modules/notifications/text-limits';

/** ASCII (1 byte), Latin-1 (2), Chinese (3), emoji (4, a surrogate pair), a skin-tone emoji and a ZWJ family (one grapheme each). */
const MIXED = 'Hi é订单😀号 👍🏽 x👨‍👩‍👧y 完';

/** Valid UTF-16 that survives a UTF-8 round trip: no lone surrogate was left behind. */
const isWellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

describe('utf8Bytes', () => {
  test.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['中', 3],
    ['😀', 4],
    ['订单号:123', 13],
  ])('%j is %i bytes', (s, n) => {
    expect(utf8Bytes(s)).toBe(n);
  });

  test('agrees with Buffer.byteLength, lone surrogates included', () => {
    for (const s of [MIXED, '\ud83d', 'a\udc00b', '\u07ff\u0800\uffff\u{10000}\u{10ffff}']) expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });

  test('charCount counts code points', () => {
    expect(charCount('详情😀')).toBe(3);
  });
});

describe('truncateUtf8', () => {
  const total = utf8Bytes(MIXED);

  test('text within the limit is returned unchanged', () => {
    expect(truncateUtf8(MIXED, total)).toBe(MIXED);
    expect(truncateUtf8(MIXED, total + 10)).toBe(MIXED);
    expect(truncateUtf8('', 0)).toBe('');
  });

  test('at every byte limit: well-formed, within the limit, a prefix plus the ellipsis, and as long as possible', () => {
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(MIXED)].map((g) => g.segment);
    for (let max = 0; max < total; max++) {
      const out = truncateUtf8(MIXED, max);
      expect(isWellFormed(out)).toBe(true);
      expect(utf8Bytes(out)).toBeLessThanOrEqual(max);
      if (max < 3) {
        expect(out.endsWith('…')).toBe(false);
        expect(MIXED.startsWith(out)).toBe(true);
        continue;
      }
      expect(out.endsWith('…')).toBe(true);
      const kept = out.slice(0, -1);
      expect(MIXED.startsWith(kept)).toBe(true);
      // the next grapheme would not have fitted
      const taken = graphemes.findIndex((_, i) => graphemes.slice(0, i).join('') === kept);
      expect(taken).toBeGreaterThanOrEqual(0);
      expect(utf8Bytes(kept) + utf8Bytes(graphemes[taken] ?? '') + 3).toBeGreaterThan(max);
    }
  });

  test('never splits a surrogate pair, an emoji with its skin tone, or a ZWJ sequence', () => {
    expect(truncateUtf8('ab😀', 5, '')).toBe('ab');
    expect(truncateUtf8('a👍🏽', 8, '')).toBe('a');
    expect(truncateUtf8('a👍🏽', 9, '')).toBe('a👍🏽');
    const family = '👨‍👩‍👧';
    for (let max = 0; max < utf8Bytes(family); max++) expect(truncateUtf8(`z${family}`, max + 1, '')).toBe('z');
  });

  test('counts the ellipsis inside the limit; a custom ellipsis works; none when it alone does not fit', () => {
    expect(truncateUtf8('订单号订单号', 9)).toBe('订单…');
    expect(truncateUtf8('订单号订单号', 9, '...')).toBe('订单...');
    expect(truncateUtf8('订单号订单号', 3)).toBe('…');
    expect(truncateUtf8('订单号订单号', 2)).toBe('');
    expect(truncateUtf8('abcdef', 2)).toBe('ab');
  });

  test('rejects a limit that is negative or not an integer', () => {
    expect(() => truncateUtf8('a', -1)).toThrow(RangeError);
    expect(() => truncateUtf8('a', 1.5)).toThrow(RangeError);
  });

  test('a 2048-byte message of Chinese text keeps 681 characters and the ellipsis', () => {
    const out = truncateUtf8('订'.repeat(1000), CHANNEL_LIMITS.app.text.content.max);
    expect(out).toBe('订'.repeat(681) + '…');
    expect(utf8Bytes(out)).toBe(2046);
  });
});

describe('truncateChars and fitLimit', () => {
  test('character limits count code points', () => {
    expect(truncateChars('查看详情吧', 4)).toBe('查看详…');
    expect(truncateChars('查看详情', 4)).toBe('查看详情');
    expect(truncateChars('😀😀😀😀😀', 4, '')).toBe('😀😀😀😀');
  });

  test('fitLimit follows the limit unit', () => {
    expect(fitLimit('查看订单详情', CHANNEL_LIMITS.app.textcard.btntxt)).toBe('查看订…');
    expect(fitLimit('标'.repeat(50), CHANNEL_LIMITS.app.textcard.title)).toBe('标'.repeat(41) + '…');
  });
});

test('CHANNEL_LIMITS (docs 90236, 99110, 90248)', () => {
  expect(CHANNEL_LIMITS).toEqual({
    app: {
      text: { content: { max: 2048, unit: 'bytes' } },
      markdown: { content: { max: 2048, unit: 'bytes' } },
      textcard: {
        title: { max: 128, unit: 'bytes' },
        description: { max: 512, unit: 'bytes' },
        url: { max: 2048, unit: 'bytes' },
        btntxt: { max: 4, unit: 'chars' },
      },
    },
    robot: { text: { content: { max: 2048, unit: 'bytes' } }, markdown: { content: { max: 4096, unit: 'bytes' } } },
    appchat: { text: { content: { max: 2048, unit: 'bytes' } }, markdown: { content: { max: 2048, unit: 'bytes' } } },
  });
});
