import type { UserModule } from '@/types';

/** Pinia: setup stores, one per domain (src/stores). */
export const install: UserModule = ({ app, pinia }) => {
  app.use(pinia);
};
