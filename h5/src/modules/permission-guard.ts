import type { UserModule } from '@/types';
import { hasAny } from '@/composables/adminPages';
import { useSessionStore } from '@/stores/session';

/**
 * Pages that need a permission (`meta.permission`, the same table the server enforces): a member
 * without it gets the /forbidden page instead of a page whose every request would answer 403.
 * Waits for the member like the auth guard does (the same request; install order does not matter);
 * when the member cannot be loaded (signed out, offline) it lets the auth guard and App.vue decide.
 */
export const install: UserModule = ({ router, pinia }) => {
  router.beforeEach(async (to) => {
    const required = to.meta.permission;
    if (!required || to.meta.public) return true;
    const session = useSessionStore(pinia);
    if (!session.me) {
      try {
        await session.load();
      } catch {
        return true;
      }
    }
    if (hasAny(session.hasPermission, required)) return true;
    return { name: 'forbidden', query: { from: to.fullPath }, replace: true };
  });
};
