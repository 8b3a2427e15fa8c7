import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
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

app.mount('#app');
