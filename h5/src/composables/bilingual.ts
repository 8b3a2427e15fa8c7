import type { ApiError } from '@/api/http';
import { i18n } from '@/locales';
import { errorMessage } from './errorMessage';

/**
 * The server's member-facing messages are bilingual, `中文 (English)`: 请至少选择一个接收人 (choose at least
 * one recipient). Splits one at its last top-level ` (…)` (the English may hold parentheses of its own);
 * null when the message is not of that shape.
 */
export function splitBilingual(message: string): { zh: string; en: string } | null {
  const text = message.trim();
  if (!text.endsWith(')')) return null;
  let depth = 0;
  for (let i = text.length - 1; i > 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      if (text[i - 1] !== ' ') return null;
      const zh = text.slice(0, i).trim();
      const en = text.slice(i + 1, -1).trim();
      return zh && en && /[\u3400-\u9fff]/.test(zh) ? { zh, en } : null;
    }
  }
  return null;
}

/** The half of a bilingual message in the UI language (the whole message when it is not bilingual). */
export function localized(message: string): string {
  const parts = splitBilingual(message);
  if (!parts) return message;
  return i18n.global.locale.value === 'en' ? parts.en : parts.zh;
}

/** A member-facing sentence for an API failure: the server's own sentence for a 409/422 (in the UI language), else errorMessage's. */
export function apiMessage(error: ApiError | null | undefined): string {
  if (error && (error.status === 409 || error.status === 422) && error.message) return localized(error.message);
  return errorMessage(error);
}
