/**
 * Message templates: text with `{placeholder}` fields, e.g. `订单号:{order_id} | 客户:{customer}`.
 *
 * Syntax (Python's str.format, minus everything but names):
 * - `{name}` is a field of the event; names are `[a-z][a-z0-9_]*`, like the catalogue's field names.
 * - `{{` and `}}` are literal braces. A lone `}` is an error too, so every template has one reading and
 *   `stringifyTemplate(parseTemplate(t)) === t`.
 *
 * Built-in placeholders, available on every event (an event field of the same name wins, since that is what
 * the event's author declared):
 * - `{event_label}` the event type's zh-CN label (成员离开, 新订单 …);
 * - `{occurred_at}` when it happened, formatted like any `time` field;
 * - `{actor}` who caused it: whatever the caller passes as `event.actor` (a userid, or a name it resolved).
 *
 * Values are formatted by the field's declared type (see `formatValue`); in `markdown` output they are
 * neutralised so that user text (a customer name, an item title) cannot add markup (see `escapeMarkdown`).
 */
import { AppError } from '../../errors';
import type { EventField, EventFieldType, EventTypeDef } from '../../platform/events/catalogue';

/** 422 with a stable code, so a route can let it reach the client as-is. */
export class TemplateError extends AppError {
  constructor(code: 'invalid_template' | 'unknown_placeholder', message: string, details?: Record<string, unknown>) {
    super(422, code, message, details);
  }
}

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; name: string };

export const BUILTIN_PLACEHOLDERS: Readonly<Record<string, EventField>> = {
  event_label: { label: '事件名称', type: 'string' },
  occurred_at: { label: '发生时间', type: 'time' },
  actor: { label: '操作人', type: 'string' },
};

const NAME = /^[a-z][a-z0-9_]*$/;

/** Human column (1-based, in code points, so an emoji counts once) of a UTF-16 index. */
function columnAt(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1;
}

function invalid(text: string, index: number, zh: string, en: string): TemplateError {
  const column = columnAt(text, index);
  return new TemplateError('invalid_template', `模板第 ${column} 个字符：${zh} (template character ${column}: ${en})`, { index, column });
}

/** Splits a template into literal text and placeholders; throws `invalid_template` with the position. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if ((ch === '{' || ch === '}') && text[i + 1] === ch) {
      literal += ch;
      i += 2;
    } else if (ch === '}') {
      throw invalid(text, i, '单独的 } 要写成 }}', 'a lone } must be written }}');
    } else if (ch === '{') {
      const close = text.indexOf('}', i + 1);
      const name = close < 0 ? '' : text.slice(i + 1, close);
      if (close < 0 || name.includes('{')) throw invalid(text, i, '{ 没有闭合（要写字面的 { 请用 {{）', 'unclosed { (write {{ for a literal brace)');
      if (!NAME.test(name)) {
        throw invalid(
          text,
          i,
          `字段名 {${name}} 无效：只能用小写字母、数字和下划线，并以字母开头`,
          `invalid placeholder {${name}}: use a-z, 0-9 and _, starting with a letter`,
        );
      }
      if (literal) parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push({ kind: 'field', name });
      i = close + 1;
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal) parts.push({ kind: 'text', text: literal });
  return parts;
}

/** The inverse of parseTemplate: braces in literal text are doubled again. */
export function stringifyTemplate(parts: readonly TemplatePart[]): string {
  return parts.map((p) => (p.kind === 'field' ? `{${p.name}}` : p.text.replace(/[{}]/g, (b) => b + b))).join('');
}

/** Distinct placeholder names, in order of first use; throws like parseTemplate. */
export function placeholdersOf(text: string): string[] {
  return [...new Set(parseTemplate(text).flatMap((p) => (p.kind === 'field' ? [p.name] : [])))];
}

/** Everything a template for `def` may use: the event's fields over the built-ins. */
export function templateFields(def: EventTypeDef): Record<string, EventField> {
  return { ...BUILTIN_PLACEHOLDERS, ...def.fields };
}

/** Parses and checks every placeholder against `def`; returns the parts for rendering. */
export function checkTemplate(text: string, def: EventTypeDef): TemplatePart[] {
  const parts = parseTemplate(text);
  const fields = templateFields(def);
  for (const part of parts) {
    if (part.kind === 'field' && !Object.hasOwn(fields, part.name)) {
      throw new TemplateError(
        'unknown_placeholder',
        `未知字段 {${part.name}}：事件 ${def.type} 没有这个字段 (unknown placeholder {${part.name}} for ${def.type})`,
        { placeholder: part.name, eventType: def.type, available: Object.keys(fields) },
      );
    }
  }
  return parts;
}

export interface RenderOptions {
  /** IANA zone for `time` fields; default Asia/Shanghai. A zone Intl does not know throws a RangeError. */
  timeZone?: string;
  format?: 'text' | 'markdown';
  /** The envelope behind `{occurred_at}` and `{actor}`; a DomainEvent fits. Absent values render as —. */
  event?: { occurredAt?: number; actor?: string };
}

/** Shown for a missing (optional) value. */
export const MISSING = '—';

/**
 * Renders `text` for one event. Throws TemplateError like checkTemplate: a stored template whose field the
 * event no longer has should fail the delivery visibly rather than send a silent `—`.
 */
export function renderTemplate(text: string, def: EventTypeDef, payload: Record<string, unknown>, opts: RenderOptions = {}): string {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const fields = templateFields(def);
  let out = '';
  for (const part of checkTemplate(text, def)) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const value = formatValue(fields[part.name]?.type ?? 'string', valueOf(part.name, def, payload, opts), timeZone);
    out += opts.format === 'markdown' ? escapeMarkdown(value, startsLine(out)) : escapeText(value);
  }
  return out;
}

/** Whether text appended to `out` begins a line: nothing but indentation or the template's quote markers before it. */
function startsLine(out: string): boolean {
  return /(^|\n)[ \t>]*$/.test(out);
}

function valueOf(name: string, def: EventTypeDef, payload: Record<string, unknown>, opts: RenderOptions): unknown {
  if (Object.hasOwn(def.fields, name)) return Object.hasOwn(payload, name) ? payload[name] : undefined;
  if (name === 'event_label') return def.label;
  if (name === 'occurred_at') return opts.event?.occurredAt;
  return opts.event?.actor;
}

/**
 * One value as text, by its declared type: time → `YYYY-MM-DD HH:mm` in `timeZone`; number → as is (no
 * grouping: amounts arrive already formatted or as plain numbers); string[] → joined with 、; boolean →
 * 是/否; missing → —. A value that does not have its declared type (the catalogue checks payloads, so only
 * stale data) is shown as plain text rather than failing the message.
 */
export function formatValue(type: EventFieldType, value: unknown, timeZone: string): string {
  if (value === undefined || value === null) return MISSING;
  if (type === 'time' && typeof value === 'number' && Number.isFinite(value)) return formatTime(value, timeZone);
  if (type === 'boolean' && typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(plainText).join('、');
  return plainText(value);
}

/** Objects (only in malformed payloads) as JSON rather than `[object Object]`. */
function plainText(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** One formatter per zone: constructing Intl.DateTimeFormat costs far more than formatting. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD HH:mm` of epoch ms in `timeZone`, assembled from parts so no locale's separators leak in. */
export function formatTime(ms: number, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    const options = { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    format = new Intl.DateTimeFormat('en-US', options);
    timeFormats.set(timeZone, format);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of format.formatToParts(ms)) part[p.type] = p.value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/**
 * WeCom documents no escape syntax for its markdown (neither backslashes nor HTML entities are said to
 * work, doc 90236), so markup characters in values are replaced by their full-width look-alikes, which
 * read the same to a person and are inert in every client:
 * - everywhere: `<` `>` (tags such as `<font>`, mentions `<@userid>`, quotes), `&` (entities), backtick
 *   (code), `[` `]` (links), `*` (bold `**`);
 * - at the start of a line (after optional spaces): `#` (heading) and `-` (list item, markdown_v2).
 * `atLineStart` says whether the value begins a line of the output; the template's own markup is untouched.
 */
export function escapeMarkdown(value: string, atLineStart = true): string {
  const inline = value.replace(/[<>&`[\]*]/g, (c) => FULL_WIDTH[c] ?? c);
  return inline.replace(/(^|\n)([ \t]*)([#-])/g, (match: string, nl: string, indent: string, mark: string) =>
    nl === '' && !atLineStart ? match : nl + indent + (FULL_WIDTH[mark] ?? mark),
  );
}

/**
 * Plain-text messages are not markup-free either: app text supports `<a href>` links and robot text `<@userid>`
 * mentions (docs 90236, 99110), so a customer name must not be able to add a link or ping someone.
 */
export function escapeText(value: string): string {
  return value.replace(/[<>]/g, (c) => FULL_WIDTH[c] ?? c);
}

const FULL_WIDTH: Record<string, string> = { '<': '＜', '>': '＞', '&': '＆', '`': '｀', '[': '［', ']': '］', '*': '＊', '#': '＃', '-': '－' };

/** A fixed instant for previews: 2025-06-01 10:30 in Asia/Shanghai. */
export const SAMPLE_TIME = Date.UTC(2025, 5, 1, 2, 30);

/** The envelope to pass as `event` when previewing, so `{occurred_at}` and `{actor}` show something. */
export const SAMPLE_EVENT = { occurredAt: SAMPLE_TIME, actor: '示例成员' } as const;

/**
 * A full payload for previews: a value in `sample` wins (even null, to preview a missing optional field);
 * every other declared field gets its `example` if the catalogue declares one of the right type, else one
 * made from its type. Keys that are not fields of `def` are dropped, as the catalogue would reject them.
 */
export function sampleFor(def: EventTypeDef, sample: Record<string, unknown> = {}): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(def.fields)) payload[name] = Object.hasOwn(sample, name) ? sample[name] : exampleOf(field);
  return payload;
}

function exampleOf(field: EventField): unknown {
  // `in` keeps this type-safe whether or not EventField declares `example`; one of the wrong type (a
  // declaration slip) would make the preview lie, so it falls back to a made-up value.
  if ('example' in field && hasType(field.type, field.example)) return field.example;
  switch (field.type) {
    case 'string':
      return field.label;
    case 'number':
      return 1;
    case 'time':
      return SAMPLE_TIME;
    case 'string[]':
      return [field.label];
    case 'boolean':
      return true;
  }
}

function hasType(type: EventFieldType, value: unknown): boolean {
  if (type === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (type === 'number' || type === 'time') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === type;
}
