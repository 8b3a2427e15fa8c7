/**
 * Rule conditions on an event's fields, e.g. `amount >= 500 and (shop_id == "sg-01" or items contains "口罩")`.
 *
 * Grammar (keywords are case-insensitive; field names are the catalogue's, `[a-z][a-z0-9_]*`):
 *   condition  := or                      (blank text = always true)
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*     ("and" binds tighter: `a or b and c` is `a or (b and c)`)
 *   unary      := "not" unary | "(" or ")" | comparison
 *   comparison := field ("==" | "!=" | ">" | ">=" | "<" | "<=") literal
 *               | field "contains" string
 *               | field "in" "[" literal ("," literal)* "]"
 *   literal    := number (-?digits[.digits]) | "double-quoted" (escapes \" and \\) | true | false
 *
 * Semantics: numbers and times (epoch ms) compare numerically; strings and booleans only with ==, != and in;
 * `contains` on a string is a substring test, on a string[] it is true when any element contains the text
 * (so `items contains "口罩"` matches an item 医用口罩). A missing (optional) field makes every comparison
 * on it false, `!=` included; `not` then turns that into true.
 * Fields are the event's payload fields only (the templates' built-ins such as `{actor}` are not).
 *
 * A hand-written tokenizer and recursive-descent parser: no eval, no dependency, bounded by MAX_LENGTH and
 * MAX_DEPTH so a stored condition cannot be made expensive.
 */
import { AppError } from '../../errors';
import type { EventFieldType, EventTypeDef } from '../../platform/events/catalogue';

export const MAX_LENGTH = 500;
/** Nesting of parentheses and `not`. */
export const MAX_DEPTH = 10;

export class ConditionError extends AppError {
  constructor(code: 'invalid_condition' | 'unknown_field', message: string, details?: Record<string, unknown>) {
    super(422, code, message, details);
  }
}

export type Literal = string | number | boolean;
export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

export type ConditionNode =
  | { kind: 'always' }
  | { kind: 'and' | 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  | { kind: 'compare'; field: string; op: CompareOp; value: Literal }
  | { kind: 'contains'; field: string; value: string }
  | { kind: 'in'; field: string; values: Literal[] };

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'op'; v: CompareOp; at: number }
  | { t: 'punct'; v: '(' | ')' | '[' | ']' | ','; at: number }
  | { t: 'end'; at: number };

function syntaxError(text: string, index: number, zh: string, en: string): ConditionError {
  const column = [...text.slice(0, index)].length + 1;
  return new ConditionError('invalid_condition', `条件第 ${column} 个字符：${zh} (condition character ${column}: ${en})`, { index, column });
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const OP = /==|!=|>=|<=|>|</y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(text)?.[0];
  };
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    let m: string | undefined;
    if ('()[],'.includes(ch)) tokens.push({ t: 'punct', v: ch as '(' | ')' | '[' | ']' | ',', at });
    else if ((m = match(OP))) tokens.push({ t: 'op', v: m as CompareOp, at });
    else if ((m = match(NUMBER))) tokens.push({ t: 'num', v: Number(m), at });
    else if ((m = match(WORD))) tokens.push({ t: 'word', v: m, at });
    else if (ch === '"') m = readString(text, i, tokens);
    else if (ch === '=') throw syntaxError(text, i, '相等要写成 ==', 'use == for equality');
    else if (ch === "'") throw syntaxError(text, i, '文本要用双引号 "…"', 'strings take double quotes');
    else
      throw syntaxError(
        text,
        i,
        `无法识别的字符 ${ch}（字段要写英文名，如 amount）`,
        `unexpected character ${ch} (fields are referred to by name, e.g. amount)`,
      );
    i += m?.length ?? 1;
  }
  tokens.push({ t: 'end', at: text.length });
  return tokens;
}

/** Reads the string literal starting at `start`; returns its source text so the caller can advance past it. */
function readString(text: string, start: number, tokens: Token[]): string {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '"') {
      tokens.push({ t: 'str', v: value, at: start });
      return text.slice(start, i + 1);
    }
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      if (next !== '"' && next !== '\\') throw syntaxError(text, i, '文本里只支持 \\" 和 \\\\ 两种转义', 'only \\" and \\\\ escapes are supported');
      value += next;
      i++;
    } else value += ch;
  }
  throw syntaxError(text, start, '文本缺少结尾的 "', 'unterminated string');
}

const KEYWORDS = new Set(['and', 'or', 'not', 'contains', 'in', 'true', 'false']);
const FIELD = /^[a-z][a-z0-9_]*$/;

function describe(token: Token): string {
  if (token.t === 'end') return 'end';
  if (token.t === 'str') return JSON.stringify(token.v);
  return String(token.v);
}

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): ConditionNode {
    const node = this.or(0);
    if (this.peek().t !== 'end') throw this.unexpected('and / or 或结尾', 'and, or or the end');
    return node;
  }

  private or(depth: number): ConditionNode {
    const items = [this.and(depth)];
    while (this.keyword('or')) items.push(this.and(depth));
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'or', items };
  }

  private and(depth: number): ConditionNode {
    const items = [this.unary(depth)];
    while (this.keyword('and')) items.push(this.unary(depth));
    return items.length === 1 ? (items[0] as ConditionNode) : { kind: 'and', items };
  }

  private unary(depth: number): ConditionNode {
    const start = this.peek();
    const nested = this.keyword('not') || this.punct('(');
    if (!nested) return this.comparison();
    if (depth + 1 > MAX_DEPTH) throw syntaxError(this.text, start.at, `括号和 not 最多嵌套 ${MAX_DEPTH} 层`, `nested deeper than ${MAX_DEPTH}`);
    if (start.t === 'word') return { kind: 'not', item: this.unary(depth + 1) };
    const inner = this.or(depth + 1);
    if (!this.punct(')')) throw this.unexpected(')', ')');
    return inner;
  }

  private comparison(): ConditionNode {
    const token = this.next();
    if (token.t !== 'word' || KEYWORDS.has(token.v.toLowerCase())) throw this.unexpected('字段名', 'a field name', token);
    if (!FIELD.test(token.v)) throw syntaxError(this.text, token.at, `字段名 ${token.v} 无效：用小写字母、数字和下划线`, `invalid field name ${token.v}`);
    const field = token.v;
    const op = this.peek();
    if (op.t === 'op') return { kind: 'compare', field, op: this.advance(op).v, value: this.literal() };
    if (this.keyword('contains')) {
      const value = this.literal();
      if (typeof value !== 'string') throw syntaxError(this.text, this.tokens[this.i - 1]?.at ?? 0, 'contains 后面要写文本 "…"', 'contains takes a string');
      return { kind: 'contains', field, value };
    }
    if (this.keyword('in')) return { kind: 'in', field, values: this.list() };
    throw this.unexpected('比较运算符 (== != > >= < <= contains in)', 'an operator (== != > >= < <= contains in)');
  }

  private list(): Literal[] {
    if (!this.punct('[')) throw this.unexpected('[', '[');
    const values = [this.literal()];
    while (this.punct(',')) values.push(this.literal());
    if (!this.punct(']')) throw this.unexpected(', 或 ]', ', or ]');
    return values;
  }

  private literal(): Literal {
    const token = this.next();
    if (token.t === 'num' || token.t === 'str') return token.v;
    if (token.t === 'word' && /^(true|false)$/i.test(token.v)) return token.v.toLowerCase() === 'true';
    throw this.unexpected('数字、"文本"、true 或 false', 'a number, "string", true or false', token);
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token.t !== 'word' || token.v.toLowerCase() !== word) return false;
    this.i++;
    return true;
  }

  private punct(p: string): boolean {
    const token = this.peek();
    if (token.t !== 'punct' || token.v !== p) return false;
    this.i++;
    return true;
  }

  private peek(): Token {
    return this.tokens[this.i] ?? { t: 'end', at: this.text.length };
  }

  private next(): Token {
    const token = this.peek();
    if (token.t !== 'end') this.i++;
    return token;
  }

  private advance<T extends Token>(token: T): T {
    this.i++;
    return token;
  }

  private unexpected(zh: string, en: string, token = this.peek()): ConditionError {
    const found = describe(token);
    return syntaxError(this.text, token.at, `这里应为 ${zh}，实际是 ${found === 'end' ? '结尾' : found}`, `expected ${en}, found ${found}`);
  }
}

/** Parses a condition; blank text means always. Throws ConditionError `invalid_condition` with the position. */
export function parseCondition(text: string): ConditionNode {
  if (!text.trim()) return { kind: 'always' };
  const length = [...text].length;
  if (length > MAX_LENGTH) {
    throw new ConditionError('invalid_condition', `条件最长 ${MAX_LENGTH} 个字符，现有 ${length} 个 (condition longer than ${MAX_LENGTH} characters)`, {
      length,
      max: MAX_LENGTH,
    });
  }
  return new Parser(text, tokenize(text)).parse();
}

/** The literal type a field of each type compares with (string[] only takes `contains`). */
const LITERAL_TYPE: Record<EventFieldType, 'string' | 'number' | 'boolean' | null> = {
  string: 'string',
  number: 'number',
  time: 'number',
  boolean: 'boolean',
  'string[]': null,
};

const TYPE_ZH: Record<EventFieldType, string> = { string: '文本', number: '数字', time: '时间', boolean: '是/否', 'string[]': '文本列表' };

/**
 * Throws unless every field exists on `def` (`unknown_field`) and is compared in a way its type allows
 * (`invalid_condition`), e.g. `customer > 5` on a string field.
 */
export function checkCondition(node: ConditionNode, def: EventTypeDef): void {
  switch (node.kind) {
    case 'always':
      return;
    case 'and':
    case 'or':
      return node.items.forEach((item) => checkCondition(item, def));
    case 'not':
      return checkCondition(node.item, def);
    default:
      return checkComparison(node, def);
  }
}

type Comparison = Extract<ConditionNode, { field: string }>;

function checkComparison(node: Comparison, def: EventTypeDef): void {
  const field = Object.hasOwn(def.fields, node.field) ? def.fields[node.field] : undefined;
  if (!field) {
    throw new ConditionError('unknown_field', `未知字段 ${node.field}：事件 ${def.type} 没有这个字段 (unknown field ${node.field} for ${def.type})`, {
      field: node.field,
      eventType: def.type,
      available: Object.keys(def.fields),
    });
  }
  if (allows(node, field.type)) return;
  const what = node.kind === 'compare' ? `${node.op} ${JSON.stringify(node.value)}` : node.kind === 'in' ? `in ${JSON.stringify(node.values)}` : 'contains';
  throw new ConditionError(
    'invalid_condition',
    `类型不符：${node.field}（${field.label}）是${TYPE_ZH[field.type]}，不能用 ${what} (type mismatch: ${node.field} is ${field.type}; ${hintFor(field.type)})`,
    { field: node.field, fieldType: field.type },
  );
}

function allows(node: Comparison, type: EventFieldType): boolean {
  if (node.kind === 'contains') return type === 'string' || type === 'string[]';
  const wanted = LITERAL_TYPE[type];
  if (node.kind === 'in') return node.values.every((v) => typeof v === wanted);
  // ordering only makes sense for numbers and times
  return typeof node.value === wanted && (node.op === '==' || node.op === '!=' || wanted === 'number');
}

function hintFor(type: EventFieldType): string {
  if (type === 'string') return 'compare it with ==, !=, contains or in and a "string"';
  if (type === 'string[]') return 'use contains "…"';
  if (type === 'boolean') return 'compare it with == true or == false';
  return 'compare it with a number';
}

/** True when `payload` satisfies the condition. Never throws; a missing field makes its comparisons false. */
export function evaluateCondition(node: ConditionNode, payload: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'always':
      return true;
    case 'and':
      return node.items.every((item) => evaluateCondition(item, payload));
    case 'or':
      return node.items.some((item) => evaluateCondition(item, payload));
    case 'not':
      return !evaluateCondition(node.item, payload);
    default:
      return evaluateComparison(node, Object.hasOwn(payload, node.field) ? payload[node.field] : undefined);
  }
}

function evaluateComparison(node: Comparison, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (node.kind === 'contains') {
    if (typeof value === 'string') return value.includes(node.value);
    return Array.isArray(value) && value.some((v) => typeof v === 'string' && v.includes(node.value));
  }
  if (node.kind === 'in') return node.values.includes(value as Literal);
  return compare(value, node.op, node.value);
}

function compare(value: unknown, op: CompareOp, literal: Literal): boolean {
  if (typeof value !== typeof literal) return false;
  if (op === '==') return value === literal;
  if (op === '!=') return value !== literal;
  if (typeof value !== 'number' || typeof literal !== 'number') return false;
  if (op === '>') return value > literal;
  if (op === '>=') return value >= literal;
  if (op === '<') return value < literal;
  return value <= literal;
}

/** Canonical text of a condition: parseCondition(conditionToString(ast)) rebuilds the same AST. */
export function conditionToString(node: ConditionNode): string {
  switch (node.kind) {
    case 'always':
      return '';
    case 'and':
    case 'or':
      return node.items.map((item) => (needsParens(item, node.kind) ? `(${conditionToString(item)})` : conditionToString(item))).join(` ${node.kind} `);
    case 'not':
      return node.item.kind === 'and' || node.item.kind === 'or' ? `not (${conditionToString(node.item)})` : `not ${conditionToString(node.item)}`;
    case 'compare':
      return `${node.field} ${node.op} ${literalText(node.value)}`;
    case 'contains':
      return `${node.field} contains ${literalText(node.value)}`;
    case 'in':
      return `${node.field} in [${node.values.map(literalText).join(', ')}]`;
  }
}

/** An `and` inside an `or` reads right without parentheses; any other nested group keeps its own. */
function needsParens(item: ConditionNode, parent: 'and' | 'or'): boolean {
  return (item.kind === 'and' || item.kind === 'or') && !(parent === 'or' && item.kind === 'and');
}

function literalText(value: Literal): string {
  return typeof value === 'string' ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : String(value);
}
