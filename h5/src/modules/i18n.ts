import type { UserModule } from '@/types';
import { i18n, savedLocale, setLocale } from '@/locales';

/**
 * vue-i18n: zh-CN by default; a member who chose English on /me gets it back from localStorage.
 * English is a lazy chunk, so the first navigation waits for it (no flash of Chinese).
 */
export const install: UserModule = ({ app, router }) => {
  app.use(i18n);
  const locale = savedLocale();
  if (locale === 'zh-CN') return;
  let ready: Promise<void> | null = setLocale(locale, false).catch(() => undefined);
  router.beforeEach(async () => {
    if (ready) {
      await ready;
      ready = null;
    }
  });
};
