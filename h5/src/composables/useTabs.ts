import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useSessionStore } from '@/stores/session';
import { selectTabs } from './tabs';

/**
 * The signed-in member's tabs (composables/tabs.ts over the router's routes): `bar` for AppTabbar,
 * `more` for the 更多应用 grid on home, and the key of the tab the current page belongs to.
 */
export function useTabs() {
  const router = useRouter();
  const route = useRoute();
  const session = useSessionStore();
  // Routes are registered at start (modules add theirs in routes.ts), so one read is enough.
  const routes = router.getRoutes();
  const selection = computed(() => selectTabs(routes, session.hasPermission));
  return {
    bar: computed(() => selection.value.bar),
    more: computed(() => selection.value.more),
    active: computed(() => route.meta.tab?.key ?? route.meta.underTab),
  };
}
