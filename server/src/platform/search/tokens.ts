/**
 * The search token scheme: MySQL's ngram parser (ngram_token_size=2) done in the app, so that MariaDB (which has no
 * ngram parser) and SQLite FTS5 index and match exactly the same tokens. See README.md in this folder.
 *
 * Text is folded one code point at a time (NFKC, lowercase; outside CJK also accents stripped: é → e, đ → d), then
 * cut into runs:
 * - a CJK run (Han, kana, hangul) gives its overlapping bigrams (主图视频 → 主图 图视 视频); a lone CJK character gives
 *   itself as a single (like MySQL's ngram parser, a lone character matches only where it stands alone);
 * - a run of other letters and digits is a word (iPhone15, 2024, café → cafe);
 * - everything else separates runs (so 双11大促 is 双 · 11 · 大促).
 *
 * Every token is plain ASCII `[a-z0-9]`, starts with a letter naming its kind and the digit of the scheme's version,
 * and is at least 3 characters long, so no tokenizer can split it, no collation can fold two of them together, and
 * none is ever shorter than innodb_ft_min_token_size (3), longer than innodb_ft_max_token_size (84) or a stopword
 * (no stopword list holds a word with a digit in it):
 * - `b1` + two code points in base 36, 4 digits each: a CJK bigram (主图 → b10fgb0h6m);
 * - `s1` + one code point: a lone CJK character;
 * - `w1` + the word itself when it is ASCII (at most 32 characters kept): `w1iphone15`;
 * - `u1` + the word's code points, 4 digits each (at most 20 kept): a word in another script (Cyrillic, Thai…).
 *
 * A query is cut the same way and needs every one of its tokens; query words of two or more characters match as
 * prefixes (ship finds shipping, 2401 finds 240101ABC), CJK tokens and one-character words only as they are.
 */

/** The scheme's version, the digit in every token: change the scheme, bump it, and rebuild the index. */
const VERSION = '1';
export const TOKEN_KINDS = { bigram: `b${VERSION}`, single: `s${VERSION}`, word: `w${VERSION}`, other: `u${VERSION}` } as const;

/** Characters kept of an ASCII word (2 + 32 ≤ 84, innodb_ft_max_token_size). */
const MAX_WORD = 32;
/** Code points kept of a word in another script (2 + 4 × 20 = 82 ≤ 84). */
const MAX_OTHER_WORD = 20;
/** The longest token string searchTokens returns (all ASCII, so bytes too): fits a TEXT column (65,535 bytes). */
export const MAX_TOKENS_LENGTH = 60_000;
/** Characters of a query looked at; the rest is ignored. */
export const MAX_QUERY_CHARS = 100;
/** Terms of a query kept (a 100-character Chinese phrase has 99 bigrams); the first ones, all required. */
export const MAX_QUERY_TERMS = 32;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
const WORD = /[\p{L}\p{N}]/u;
const MARKS = /\p{M}/gu;
/** Latin letters that carry no combining mark to strip but are read as a plain letter (Vietnamese đ, Nordic ø…). */
const PLAIN: Record<string, string> = { đ: 'd', ð: 'd', ø: 'o', ł: 'l', ı: 'i', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };
const PLAIN_RE = new RegExp(`[${Object.keys(PLAIN).join('')}]`, 'g');

export type TokenKind = 'bigram' | 'single' | 'word' | 'other';

/** A token found in a text, with where it starts and ends there (code point indexes, end exclusive). */
export interface ScannedToken {
  token: string;
  kind: TokenKind;
  /** Characters the token stands for (2 for a bigram, the word's length for a word). */
  chars: number;
  start: number;
  end: number;
}

/** One required term of a query: the token, and whether it matches as a prefix of indexed tokens. */
export interface QueryTerm {
  token: string;
  prefix: boolean;
}

/**
 * What joins the code point before it into one character: combining marks (e + ◌́, カ + ◌゙ as macOS writes file
 * names), the half-width voicing marks (ｶﾞ) and hangul vowel and final jamo (ᄒ + ᅡ + ᆫ = 한).
 */
const JOINER = /^[\p{M}\uff9e\uff9f\u1160-\u11ff\ud7b0-\ud7ff]$/u;

/** One character (a code point and what joins it) as it is indexed: NFKC and lowercase; outside CJK also without accents. */
function fold(ch: string): string {
  if (ch.length === 1) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) return code >= 0x41 && code <= 0x5a ? ch.toLowerCase() : ch;
    if (code >= 0x4e00 && code <= 0x9fff) return ch; // CJK Unified Ideographs: NFKC leaves them as they are
  }
  const n = ch.normalize('NFKC').toLowerCase();
  if (CJK.test(n)) return n; // keep kana voicing (が ≠ か) and hangul syllables whole
  return n
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(PLAIN_RE, (m) => PLAIN[m] ?? m);
}

const code36 = (ch: string): string => ch.codePointAt(0)!.toString(36).padStart(4, '0');

/** The tokens of `text` in order, with their positions in it (duplicates included). */
export function* scanTokens(text: string): Generator<ScannedToken> {
  let runKind: 'cjk' | 'word' | null = null;
  let run: string[] = [];
  let at: number[] = [];
  let ends: number[] = [];

  function* flush(): Generator<ScannedToken> {
    if (runKind === 'cjk') {
      if (run.length === 1) yield { token: TOKEN_KINDS.single + code36(run[0]!), kind: 'single', chars: 1, start: at[0]!, end: ends[0]! };
      for (let i = 0; i + 1 < run.length; i++) {
        yield { token: TOKEN_KINDS.bigram + code36(run[i]!) + code36(run[i + 1]!), kind: 'bigram', chars: 2, start: at[i]!, end: ends[i + 1]! };
      }
    } else if (runKind === 'word') {
      const word = run.join('');
      const span = { chars: run.length, start: at[0]!, end: ends[ends.length - 1]! };
      if (/^[a-z0-9]+$/.test(word)) yield { token: TOKEN_KINDS.word + word.slice(0, MAX_WORD), kind: 'word', ...span };
      else yield { token: TOKEN_KINDS.other + run.slice(0, MAX_OTHER_WORD).map(code36).join(''), kind: 'other', ...span };
    }
    runKind = null;
    run = [];
    at = [];
    ends = [];
  }

  const points = Array.from(text);
  for (let i = 0; i < points.length;) {
    let next = i + 1;
    while (next < points.length && JOINER.test(points[next]!)) next++;
    for (const ch of fold(next === i + 1 ? points[i]! : points.slice(i, next).join(''))) {
      const kind = CJK.test(ch) ? 'cjk' : WORD.test(ch) ? 'word' : null;
      if (kind !== runKind) yield* flush();
      if (kind) {
        runKind = kind;
        run.push(ch);
        at.push(i);
        ends.push(next);
      }
    }
    i = next;
  }
  yield* flush();
}

/** What a document is indexed under: its distinct tokens, space-separated, in order of first use, at most MAX_TOKENS_LENGTH. */
export function searchTokens(text: string): string {
  const seen = new Set<string>();
  let length = -1;
  for (const { token } of scanTokens(text)) {
    if (seen.has(token)) continue;
    if (length + 1 + token.length > MAX_TOKENS_LENGTH) break;
    seen.add(token);
    length += 1 + token.length;
  }
  return [...seen].join(' ');
}

/**
 * The terms a query requires, all of them; [] when there is nothing worth searching for: an empty or
 * punctuation-only query, or only one-character latin words (a, 6), which would match nearly everything.
 */
export function queryTokens(q: string): QueryTerm[] {
  const text = Array.from(q).slice(0, MAX_QUERY_CHARS).join('');
  const terms = new Map<string, QueryTerm>();
  let selective = false;
  for (const t of scanTokens(text)) {
    const isWord = t.kind === 'word' || t.kind === 'other';
    const prefix = isWord && t.chars >= 2;
    if (!isWord || prefix) selective = true;
    if (terms.size < MAX_QUERY_TERMS && !terms.has(t.token)) terms.set(t.token, { token: t.token, prefix });
  }
  return selective ? [...terms.values()] : [];
}

/** A MySQL/MariaDB boolean-mode query requiring every term: `+b10fgb0h6m +w1ship*` (tokens are [a-z0-9]: no quoting). */
export function booleanModeQuery(terms: readonly QueryTerm[]): string {
  return terms.map((t) => `+${t.token}${t.prefix ? '*' : ''}`).join(' ');
}

/** An FTS5 query requiring every term: `"b10fgb0h6m" AND "w1ship"*`. */
export function fts5Query(terms: readonly QueryTerm[]): string {
  return terms.map((t) => `"${t.token}"${t.prefix ? '*' : ''}`).join(' AND ');
}

const matches = (token: string, terms: readonly QueryTerm[]): boolean => terms.some((t) => (t.prefix ? token.startsWith(t.token) : token === t.token));

/**
 * At most `max` characters of `body` (whitespace collapsed) around the first place a term matches, a little before it
 * for context, with … where it was cut; the start of `body` when no term matches in it (a match in the title).
 */
export function snippet(body: string, terms: readonly QueryTerm[], max = 120, lead = 15): string {
  const chars = Array.from(body);
  if (chars.length <= max) return collapse(body);
  let at = 0;
  for (const t of scanTokens(body)) {
    if (matches(t.token, terms)) {
      at = t.start;
      break;
    }
  }
  let start = Math.max(0, Math.min(at - lead, chars.length - (max - 1)));
  if (start === 1) start = 0; // an ellipsis in place of one character says nothing
  const head = start > 0 ? '…' : '';
  let room = max - head.length;
  const tail = start + room < chars.length;
  if (tail) room -= 1;
  return collapse(head + chars.slice(start, start + room).join('') + (tail ? '…' : ''));
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();
