import type { App } from 'vue';
import type { Router } from 'vue-router';
import type { Pinia } from 'pinia';
import type { Permission } from '@shopcrew/shared';
import type { TabMeta } from './composables/tabs';

/** What main.ts hands every `modules/*.ts` `install()` (vitesse-lite's UserModule). */
export interface AppContext {
  app: App;
  router: Router;
  pinia: Pinia;
}

export type UserModule = (ctx: AppContext) => void;

/** Load state of one remote resource (elk's PaginatorState idea). */
export type LoadState = 'idle' | 'loading' | 'done' | 'error';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (sign-in error, signed-out, 404). */
    public?: boolean;
    /** i18n key of the page title (document.title and the nav bar). */
    title?: string;
    /** Only members holding this permission (or one of these) may open the page; others see /forbidden. */
    permission?: Permission | readonly Permission[];
    /**
     * This page is a tab of the bottom bar (or of the 更多应用 grid on home when the bar is full):
     * composables/tabs.ts picks the member's tabs from the routes that have one, by `permission`.
     */
    tab?: TabMeta;
    /** A page inside a tab's section (团队 → a department): it shows the bar with that tab (its key) active. */
    underTab?: string;
    /**
     * Start this page's first request while the auth guard is still loading /api/me, so a cold
     * start costs one round trip less (it must not redirect on 401: the guard does that).
     */
    prefetch?: () => void;
  }
}
