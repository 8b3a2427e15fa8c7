import { watch } from 'vue';
import type { RouteLocationNormalizedLoaded } from 'vue-router';
import type { UserModule } from '@/types';
import { i18n, t } from '@/locales';

/**
 * vue-router (history mode; routes in src/routes.ts): page titles (in the current language, also
 * right after a language switch), and a full reload when a lazy page chunk is gone after a redeploy
 * (the new index.html references the new chunks).
 */
export const install: UserModule = ({ app, router }) => {
  const setTitle = (to: Pick<RouteLocationNormalizedLoaded, 'meta'>) => {
    const appName = t('app.name');
    document.title = to.meta.title ? `${t(to.meta.title)} - ${appName}` : appName;
  };
  router.afterEach((to) => setTitle(to));
  watch(i18n.global.locale, () => setTitle(router.currentRoute.value));

  // At most one reload per 30 s, so a chunk that is really missing cannot cause a reload loop.
  const reloadOnce = (target?: string) => {
    const key = 'shopcrew.chunk-reload';
    try {
      if (Date.now() - Number(sessionStorage.getItem(key) ?? 0) < 30_000) return false;
      sessionStorage.setItem(key, String(Date.now()));
    } catch {
      return false;
    }
    if (target) window.location.assign(target);
    else window.location.reload();
    return true;
  };
  window.addEventListener('vite:preloadError', (event) => {
    if (reloadOnce()) event.preventDefault();
  });
  router.onError((error, to) => {
    if (/dynamically imported module|Importing a module script failed|Failed to fetch/i.test(String(error))) {
      reloadOnce(to.fullPath);
    }
  });

  app.use(router);
};
