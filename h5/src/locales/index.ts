import { createI18n } from 'vue-i18n';
import { Locale } from 'vant';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import zhCN, { type Messages } from './zh-CN';
import { compileMessage } from './compile';

export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

const STORAGE_KEY = 'shopcrew.locale';

function isLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale the member chose on /me (localStorage), zh-CN otherwise. */
export function savedLocale(): AppLocale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : 'zh-CN';
  } catch {
    return 'zh-CN'; // storage disabled (private mode)
  }
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  globalInjection: true,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN } as Record<AppLocale, Messages>,
  messageCompiler: compileMessage,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
});

/** Shorthand for code outside components (stores, composables). */
export const t = i18n.global.t;

const loaders: Record<AppLocale, () => Promise<Messages>> = {
  'zh-CN': async () => zhCN,
  en: async () => (await import('./en')).default,
};

/**
 * Switch the UI language: loads the messages (English is a lazy chunk), tells Vant,
 * sets <html lang> and remembers the choice.
 */
export async function setLocale(locale: AppLocale, persist = true): Promise<void> {
  if (!i18n.global.availableLocales.includes(locale)) {
    i18n.global.setLocaleMessage(locale, await loaders[locale]());
  }
  await useVantLocale(locale);
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      /* storage disabled: the choice lasts for this page only */
    }
  }
}

/** Vant ships zh-CN as its default; other languages are loaded on demand. */
async function useVantLocale(locale: AppLocale): Promise<void> {
  if (locale === 'en') {
    const { default: enUS } = await import('vant/es/locale/lang/en-US');
    Locale.use('en-US', enUS);
  } else {
    Locale.use('zh-CN', vantZhCN); // Vant's default, already in the entry chunk
  }
}
