import type { MessageCompiler, MessageFunction } from 'vue-i18n';
import { buildMessage } from './message-format';

/**
 * The message compiler vue-i18n uses here (its `messageCompiler` option) instead of its own, which
 * vite.config.ts leaves out of the bundle: that one parses the full vue-i18n syntax at run time and
 * weighs more than all our messages together. Ours knows what the messages use — named and list
 * interpolation and `one | other` plural forms (./message-format.ts). Compiled functions are cached
 * by source.
 */
const cache = new Map<string, MessageFunction<string>>();

export const compileMessage: MessageCompiler<string> = (message, context) => {
  if (typeof message !== 'string') {
    // Pre-compiled message ASTs come only from @intlify/unplugin-vue-i18n, which this app does not use.
    if (import.meta.env.DEV) console.warn(`[i18n] unsupported message format for "${context.key}"`);
    return () => context.key;
  }
  let fn = cache.get(message);
  if (!fn) {
    fn = buildMessage(message) as MessageFunction<string>;
    cache.set(message, fn);
  }
  return fn;
};
