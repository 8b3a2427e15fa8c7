import type { MessageCompiler, MessageContext, MessageFunction } from 'vue-i18n';

/**
 * The message compiler vue-i18n uses here (its `messageCompiler` option) instead of its own, which
 * vite.config.ts leaves out of the bundle: that one parses the full vue-i18n syntax at run time and
 * weighs more than all our messages together. Ours knows the one thing the messages use:
 *
 *   '早上好，{name}'  → named interpolation (t(key, { name }))
 *   '第 {0} 项'       → list interpolation (t(key, [n]))
 *
 * Everything else is literal text: there is no pluralization (`a | b`), linked message (`@:key`) or
 * `{'literal'}` syntax, so `|` and `@` need no escaping. Compiled functions are cached by source.
 */
const PLACEHOLDER = /\{\s*([A-Za-z_$][\w$]*|\d+)\s*\}/;
const cache = new Map<string, MessageFunction<string>>();

export const compileMessage: MessageCompiler<string> = (message, context) => {
  if (typeof message !== 'string') {
    // Pre-compiled message ASTs come only from @intlify/unplugin-vue-i18n, which this app does not use.
    if (import.meta.env.DEV) console.warn(`[i18n] unsupported message format for "${context.key}"`);
    return () => context.key;
  }
  let fn = cache.get(message);
  if (!fn) {
    fn = build(message);
    cache.set(message, fn);
  }
  return fn;
};

function build(source: string): MessageFunction<string> {
  // split() with one capture group alternates text, placeholder, text, …
  const parts = source.split(new RegExp(PLACEHOLDER.source, 'g'));
  if (parts.length === 1) return () => source;
  return (ctx: MessageContext<string>) => {
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
