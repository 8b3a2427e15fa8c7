import type { UserModule } from '@/types';
import { storeRegistry } from '@/stores/reset';

/** Pinia: setup stores, one per domain (src/stores); every one is reset on sign-out (stores/reset.ts). */
export const install: UserModule = ({ app, pinia }) => {
  pinia.use(storeRegistry);
  app.use(pinia);
};
