/**
 * The message syntax of this app's messages, compiled to functions of vue-i18n's message context
 * (kept apart from compile.ts, the vue-i18n adapter, so it has no Vite-only code and unit tests can
 * load it). Three things, all vue-i18n's own syntax:
 *
 *   '早上好，{name}'          → named interpolation (t(key, { name }))
 *   '第 {0} 项'               → list interpolation (t(key, [n]))
 *   '{n} person | {n} people' → plural forms (t(key, { n }) or t(key, n)); vue-i18n picks the form
 *                               from `n`/`count` (2 forms: one | other; 3 forms: zero | one | other)
 *
 * Everything else is literal text: there are no linked messages (`@:key`) or `{'literal'}` escapes, so
 * `@` needs no escaping; `|` always separates plural forms.
 */
import type { MessageContext } from 'vue-i18n';

/** What a compiled message reads from vue-i18n's message context. */
export type MessageScope = Pick<MessageContext<string>, 'named' | 'list' | 'plural'>;
export type CompiledMessage = (ctx: MessageScope) => string;

const PLACEHOLDER = /\{\s*([A-Za-z_$][\w$]*|\d+)\s*\}/;

export function buildMessage(source: string): CompiledMessage {
  const forms = source.split('|');
  if (forms.length === 1) return interpolation(source);
  const cases = forms.map((form) => interpolation(form.trim()));
  // ctx.plural chooses by the plural index vue-i18n derived from the call (n, count or the plural argument).
  return (ctx) => ctx.plural(cases.map((c) => c(ctx)));
}

function interpolation(source: string): CompiledMessage {
  // split() with one capture group alternates text, placeholder, text, …
  const parts = source.split(new RegExp(PLACEHOLDER.source, 'g'));
  if (parts.length === 1) return () => source;
  return (ctx) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i % 2 === 0) out += part;
      else out += display(/^\d+$/.test(part) ? ctx.list(Number(part)) : ctx.named(part));
    }
    return out;
  };
}

/** Like vue-i18n's default interpolation: nothing for null/undefined, JSON for arrays and plain objects. */
function display(value: unknown): string {
  if (value == null) return '';
  if (Array.isArray(value) || (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
    return JSON.stringify(value, null, 2);
  }
  return String(value);
}
