/**
 * Length limits of WeCom messages, and truncation that respects them.
 *
 * WeCom counts most limits in UTF-8 bytes (an ASCII character is 1 byte, a Chinese character 3, an emoji 4)
 * and cuts longer text itself, possibly inside a character; so we cut first, on a character boundary, and
 * show that we did with an ellipsis that fits inside the limit.
 *
 * Truncating markdown may cut through the template's own markup (an unclosed `**` or `<font>`); keep the
 * templates short enough that only user values are at risk.
 */

export interface LengthLimit {
  max: number;
  /** `chars` counts code points (an emoji is one character). */
  unit: 'bytes' | 'chars';
}

const bytes = (max: number): LengthLimit => ({ max, unit: 'bytes' });
const chars = (max: number): LengthLimit => ({ max, unit: 'chars' });

/**
 * Per channel, message type and field (the JSON path under the message body, e.g. `text.content`).
 * Template cards are left out: the shared reference gives no length for their titles.
 */
export const CHANNEL_LIMITS = {
  /** 发送应用消息, https://developer.work.weixin.qq.com/document/path/90236 (reference section 6.3). */
  app: {
    text: { content: bytes(2048) },
    markdown: { content: bytes(2048) },
    textcard: { title: bytes(128), description: bytes(512), url: bytes(2048), btntxt: chars(4) },
  },
  /**
   * 消息推送 (group robot), https://developer.work.weixin.qq.com/document/path/99110 (reference section 8;
   * the markdown limit is quoted there from SDK error tables, errcode 40058).
   */
  robot: {
    text: { content: bytes(2048) },
    markdown: { content: bytes(4096) },
  },
  /**
   * 应用推送消息 (app group chat), https://developer.work.weixin.qq.com/document/path/90248. The reference
   * (section 9) does not list these lengths; they match message/send's and should be checked on the page.
   */
  appchat: {
    text: { content: bytes(2048) },
    markdown: { content: bytes(2048) },
  },
} as const satisfies Record<string, Record<string, Record<string, LengthLimit>>>;

/** UTF-8 length of `s`. A lone surrogate counts 3, as encoders write U+FFFD for it. */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Length in code points. */
export function charCount(s: string): number {
  return [...s].length;
}

/**
 * `s` cut to at most `maxBytes` UTF-8 bytes, ellipsis included. Cuts between grapheme clusters, so it never
 * splits a code point or a surrogate pair, nor an emoji with its skin tone or ZWJ sequence. When the
 * ellipsis alone does not fit, the text is cut without one.
 */
export function truncateUtf8(s: string, maxBytes: number, ellipsis = '…'): string {
  return truncateBy(s, maxBytes, ellipsis, utf8Bytes);
}

/** Like truncateUtf8 for limits counted in characters (code points), such as textcard's btntxt. */
export function truncateChars(s: string, maxChars: number, ellipsis = '…'): string {
  return truncateBy(s, maxChars, ellipsis, charCount);
}

/** `s` fitted to one of CHANNEL_LIMITS. */
export function fitLimit(s: string, limit: LengthLimit, ellipsis = '…'): string {
  return limit.unit === 'bytes' ? truncateUtf8(s, limit.max, ellipsis) : truncateChars(s, limit.max, ellipsis);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function truncateBy(s: string, max: number, ellipsis: string, measure: (s: string) => number): string {
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`limit must be a non-negative integer, got ${max}`);
  if (measure(s) <= max) return s;
  const tail = measure(ellipsis) <= max ? ellipsis : '';
  let budget = max - measure(tail);
  let out = '';
  for (const { segment } of graphemes.segment(s)) {
    const size = measure(segment);
    if (size > budget) break;
    out += segment;
    budget -= size;
  }
  return out + tail;
}
