import type { UserModule } from '@/types';
import { isWecom, landingUrl, registerWecom } from '@/composables/useWecom';

/**
 * WeCom JS-SDK. Importing useWecom here evaluates it at app entry, which captures the landing URL
 * iOS signs against (https://github.com/vuejs/vue-router/issues/481). Inside WeCom, once the member is signed in and the first page is
 * shown, ww.register() runs in the background (the SDK is a lazy chunk); outside WeCom nothing.
 */
export const install: UserModule = ({ router }) => {
  if (!isWecom || !landingUrl) return;
  const stop = router.afterEach((to, _from, failure) => {
    if (failure || to.meta.public) return;
    stop();
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200));
    idle(() => void registerWecom());
  });
};
