/**
 * The search token scheme (server/src/platform/search/tokens.ts): CJK bigrams, whole latin words, tokens that no
 * database tokenizer, collation, length limit or stopword list can lose, and queries that require all their tokens.
 */
import {
  MAX_QUERY_TERMS,
  MAX_TOKENS_LENGTH,
  booleanModeQuery,
  fts5Query,
  queryTokens,
  scanTokens,
  searchTokens,
  snippet,
} from '../../../server/src/platform/search/tokens';

/** A token read back as text, for readable expectations: b1… → its two characters, w1abc → abc. */
function readable(token: string): string {
  const chars = (payload: string) => (payload.match(/.{4}/g) ?? []).map((c) => String.fromCodePoint(parseInt(c, 36))).join('');
  const kind = token.slice(0, 2);
  const payload = token.slice(2);
  if (kind === 'w1') return payload;
  if (kind === 'b1' || kind === 's1' || kind === 'u1') return chars(payload);
  throw new Error(`not a token: ${token}`);
}
const words = (text: string) => searchTokens(text).split(' ').filter(Boolean).map(readable);
const terms = (q: string) => queryTokens(q).map((t) => `${readable(t.token)}${t.prefix ? '*' : ''}`);

/** InnoDB's default stopword list (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD), the same on MySQL and MariaDB. */
const INNODB_STOPWORDS =
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(' ');

describe('searchTokens', () => {
  test('a Chinese run gives its overlapping bigrams', () => {
    expect(words('主图视频')).toEqual(['主图', '图视', '视频']);
    expect(searchTokens('主图')).toBe('b10fgb0h6m');
  });

  test('a lone CJK character is a token of its own, apart from the bigrams', () => {
    expect(words('图')).toEqual(['图']);
    expect(searchTokens('图')).toMatch(/^s1/);
    expect(words('主 图')).toEqual(['主', '图']);
    expect(searchTokens('主 图')).not.toContain(searchTokens('主图'));
  });

  test('punctuation, spaces and a change of script end a run: 双11大促 is 双 · 11 · 大促', () => {
    expect(words('双11大促')).toEqual(['双', '11', '大促']);
    expect(words('主图，详情页。')).toEqual(['主图', '详情', '情页']);
    expect(words('SKU:A-12/主图')).toEqual(['sku', 'a', '12', '主图']);
  });

  test('latin and digit words are whole words, lowercased, width- and accent-folded', () => {
    expect(words('iPhone15 Pro-Max')).toEqual(['iphone15', 'pro', 'max']);
    expect(words('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(words('Café naïve Đà Nẵng Straße')).toEqual(['cafe', 'naive', 'da', 'nang', 'strasse']);
    expect(words('order 240101ABCDEF')).toEqual(['order', '240101abcdef']);
  });

  test('kana and hangul are cut like Chinese, keeping voicing marks', () => {
    expect(words('ガイド')).toEqual(['ガイ', 'イド']);
    expect(words('ｶﾞｲﾄﾞ')).toEqual(['ガイ', 'イド']); // half-width katakana, NFKC
    expect(words('ガイド'.normalize('NFD'))).toEqual(['ガイ', 'イド']); // decomposed, as macOS writes file names
    expect(words('한국어'.normalize('NFD'))).toEqual(['한국', '국어']);
    expect(words('Cafe\u0301')).toEqual(['cafe']);
    expect(words('한국어')).toEqual(['한국', '국어']);
    expect(searchTokens('が')).not.toBe(searchTokens('か'));
  });

  test('a word in another script is one token of its code points', () => {
    expect(words('Привет мир')).toEqual(['привет', 'мир']);
    expect(searchTokens('Привет')).toMatch(/^u1[0-9a-z]+$/);
  });

  test('every token is ASCII, 3–84 characters, has a digit, and is never a stopword', () => {
    const text = 'a I ww as at hat ho en the und www 的 了 图 x 1 Привет мир ' + 'z'.repeat(200) + ' ' + 'ж'.repeat(200) + ' 主图视频双11';
    const tokens = searchTokens(text).split(' ');
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) {
      expect(token).toMatch(/^[a-z][0-9][0-9a-z]+$/);
      expect(token.length).toBeGreaterThanOrEqual(3);
      expect(token.length).toBeLessThanOrEqual(84);
      expect(INNODB_STOPWORDS).not.toContain(token);
    }
    // The prefix never joins a word into a stopword: "ww" is not "w" + "ww".
    expect(searchTokens('ww as ho')).toBe('w1ww w1as w1ho');
  });

  test('tokens are distinct, in order of first use', () => {
    expect(words('大促 大促 sale SALE 大促')).toEqual(['大促', 'sale']);
  });

  test('a long word keeps its first 32 characters; a long text is cut to MAX_TOKENS_LENGTH at a token', () => {
    expect(words('x'.repeat(100))).toEqual(['x'.repeat(32)]);
    const huge = Array.from({ length: 20_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const tokens = searchTokens(huge);
    expect(tokens.length).toBeLessThanOrEqual(MAX_TOKENS_LENGTH);
    expect(tokens.length).toBeGreaterThan(MAX_TOKENS_LENGTH - 20);
    expect(tokens.split(' ').every((t) => t.length === 10)).toBe(true);
  });

  test('an empty or punctuation-only text has no tokens', () => {
    expect(searchTokens('')).toBe('');
    expect(searchTokens(' ，。！？…—\n\t~!@#$%^&*()')).toBe('');
  });

  test('scanTokens gives positions in the original text (code points)', () => {
    const found = [...scanTokens('😀 主图 ok')];
    expect(found.map((t) => [readable(t.token), t.start, t.end])).toEqual([
      ['主图', 2, 4],
      ['ok', 5, 7],
    ]);
  });
});

describe('queryTokens', () => {
  test('a Chinese phrase requires all its bigrams', () => {
    expect(terms('主图视频')).toEqual(['主图', '图视', '视频']);
    expect(terms('双11大促')).toEqual(['双', '11*', '大促']);
  });

  test('words of two or more characters match as prefixes; one-character words and CJK tokens exactly', () => {
    expect(terms('Ship 6 主图')).toEqual(['ship*', '6', '主图']);
    expect(queryTokens('ship')).toEqual([{ token: 'w1ship', prefix: true }]);
    expect(queryTokens('图')).toEqual([{ token: searchTokens('图'), prefix: false }]);
  });

  test('a query and a document are cut the same way', () => {
    const doc = searchTokens('【双11大促】主图视频已上传，请 Check iPhone15 的详情页').split(' ');
    for (const q of ['双11大促', '主图', '视频已上传', 'check', 'iphone', '详情页']) {
      for (const t of queryTokens(q)) expect(doc.some((d) => (t.prefix ? d.startsWith(t.token) : d === t.token))).toBe(true);
    }
    expect(queryTokens('上传视频').every((t) => doc.includes(t.token))).toBe(false); // 传视 is not in it
  });

  test('empty, blank, punctuation-only and one-letter queries ask for nothing', () => {
    for (const q of ['', '   ', '，。！？', '"*+-<>()~@', 'a', '6', 'a b 6']) expect(queryTokens(q)).toEqual([]);
  });

  test('repeated tokens count once; only the first 100 characters and 32 terms are kept', () => {
    expect(terms('大促 大促 大促')).toEqual(['大促']);
    expect(queryTokens(`${'x'.repeat(100)} 主图`)).toEqual([{ token: `w1${'x'.repeat(32)}`, prefix: true }]);
    const long = Array.from({ length: 80 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    expect(queryTokens(long)).toHaveLength(MAX_QUERY_TERMS);
  });

  test('renders as a MySQL boolean-mode query and an FTS5 query, each term required', () => {
    const t = queryTokens('主图 ship');
    expect(booleanModeQuery(t)).toBe('+b10fgb0h6m +w1ship*');
    expect(fts5Query(t)).toBe('"b10fgb0h6m" AND "w1ship"*');
  });
});

describe('snippet', () => {
  test('a short body is the snippet, whitespace collapsed', () => {
    expect(snippet('  主图\n\n已上传  ', queryTokens('主图'))).toBe('主图 已上传');
  });

  test('a long body is cut around the first match, at most 120 characters, with ellipses', () => {
    const body = `${'前'.repeat(300)}主图需要重拍${'后'.repeat(300)}`;
    const s = snippet(body, queryTokens('主图'));
    expect(Array.from(s).length).toBeLessThanOrEqual(120);
    expect(s).toContain('主图需要重拍');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
  });

  test('a match near the end fills the window back; no match starts at the beginning', () => {
    const body = `${'前'.repeat(300)}主图`;
    const s = snippet(body, queryTokens('主图'));
    expect(s.endsWith('主图')).toBe(true);
    expect(Array.from(s)).toHaveLength(120);
    const t = snippet(body, queryTokens('大促'));
    expect(t.startsWith('前前')).toBe(true);
    expect(t.endsWith('…')).toBe(true);
  });

  test('a prefix term finds its word; surrogate pairs are never split', () => {
    const body = `${'😀'.repeat(200)} shipping label ${'😀'.repeat(200)}`;
    const s = snippet(body, queryTokens('ship'));
    expect(s).toContain('shipping label');
    expect(Array.from(s).length).toBeLessThanOrEqual(120);
    expect(s).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
