import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MeResponse, Permission } from '@shopcrew/shared';
import { takeBootstrap } from '@/api/bootstrap';
import { fetchMe } from '@/api/me';
import { logout as apiLogout } from '@/api/auth';
import { ApiError, asApiError } from '@/api/http';
import type { LoadState } from '@/types';
import { resetStores } from './reset';

/**
 * The signed-in member (GET /api/me) and sign-out. A `shell` store: App.vue holds it for the app's
 * lifetime, so sign-out clears it (`$reset`) where every other store is dropped (stores/reset.ts).
 */
export const useSessionStore = defineStore(
  'session',
  () => {
    /** Embedded in index.html by the server for a signed-in page load: no /api/me round trip then. */
    const seed = takeBootstrap('me');
    /** The member, or null before the first load and after logout. */
    const me = ref<MeResponse | null>(seed ?? null);
    /** Load state of `me`. */
    const state = ref<LoadState>(seed ? 'done' : 'idle');
    /** Last load error (a 401 means "not signed in"). */
    const error = ref<ApiError | null>(null);
    /** Server runs against the bundled demo corp. Kept after logout so /signed-out still shows the notice. */
    const demo = ref(seed?.demo ?? false);

    let inflight: Promise<MeResponse> | null = null;

    /**
     * Load /api/me once (concurrent callers share the request). Throws ApiError; a 401 is left to the
     * caller (the auth guard) unless `redirectOn401` is set.
     */
    function load(options: { force?: boolean; redirectOn401?: boolean } = {}): Promise<MeResponse> {
      if (me.value && !options.force) return Promise.resolve(me.value);
      if (inflight) return inflight;
      state.value = 'loading';
      error.value = null;
      inflight = fetchMe({ redirectOn401: options.redirectOn401 ?? false })
        .then((data) => {
          me.value = data;
          demo.value = data.demo;
          state.value = 'done';
          return data;
        })
        .catch((e: unknown) => {
          error.value = asApiError(e);
          state.value = 'error';
          throw error.value;
        })
        .finally(() => {
          inflight = null;
        });
      return inflight;
    }

    const permissions = computed(() => new Set<Permission>(me.value?.permissions ?? []));

    /** Whether the member holds `permission` (the same table the server enforces). */
    function hasPermission(permission: Permission): boolean {
      return permissions.value.has(permission);
    }

    /** Back to "nobody signed in" (resetStores, on sign-out and on a 401). `demo` stays: /signed-out still shows the notice. */
    function $reset(): void {
      me.value = null;
      state.value = 'idle';
      error.value = null;
    }

    /** POST /auth/logout, then forget everything loaded for this member, in every store. */
    async function logout(): Promise<void> {
      try {
        await apiLogout();
      } catch (e) {
        if (!(e instanceof ApiError && e.unauthenticated)) throw e; // 401: the session was already gone
      }
      resetStores();
    }

    return { me, state, error, demo, load, hasPermission, logout, $reset };
  },
  { shell: true },
);

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot));
