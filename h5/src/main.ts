import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { hasBootstrap } from './api/bootstrap';
import { createAppRouter } from './routes';
import type { AppContext, UserModule } from './types';
import './styles/main.css';

const app = createApp(App);
const ctx: AppContext = {
  app,
  pinia: createPinia(),
  router: createAppRouter(),
};

// Each concern (pinia, i18n, router, auth guard, JS-SDK) is one file in ./modules exporting install().
// They only register things; nothing runs until the first navigation, so their order does not matter.
const modules = import.meta.glob<{ install?: UserModule }>('./modules/*.ts', { eager: true });
for (const mod of Object.values(modules)) mod.install?.(ctx);

// With the member embedded in the page (api/bootstrap.ts) the first navigation needs no request:
// mount once it has resolved, so the first render is the page itself rather than the boot spinner
// followed by a second render (on a slow phone that is most of the start-up time). The timeout only
// guards against a navigation that never settles. Without the bootstrap, mount now and show the spinner.
if (hasBootstrap()) {
  let mounted = false;
  const mount = () => {
    if (!mounted) app.mount('#app');
    mounted = true;
  };
  void ctx.router.isReady().then(mount, mount);
  setTimeout(mount, 1000);
} else {
  app.mount('#app');
}
