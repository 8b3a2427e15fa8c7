import { getActivePinia, type Pinia, type PiniaPluginContext, type StoreGeneric } from 'pinia';

declare module 'pinia' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the type parameters must match pinia's declaration
  export interface DefineStoreOptionsBase<S, Store> {
    /**
     * The store lives as long as the app shell, which holds it (the session): on sign-out it is
     * cleared by its own `$reset()` instead of being dropped.
     */
    shell?: boolean;
  }
}

/** Every store built so far, per Pinia instance (recorded by the plugin below). */
const built = new WeakMap<Pinia, Map<string, { store: StoreGeneric; shell: boolean }>>();

/**
 * Pinia plugin (modules/pinia.ts): records every store as it is built, so resetStores() reaches them
 * all, whichever pages the member opened.
 */
export function storeRegistry({ pinia, store, options }: PiniaPluginContext): void {
  let stores = built.get(pinia);
  if (!stores) built.set(pinia, (stores = new Map()));
  stores.set(store.$id, { store, shell: !!options.shell });
}

/**
 * Forget everything loaded for the member: on sign-out, and on a 401 that sends them back through
 * sign-in, so whoever signs in next on this phone never sees it. Every store is dropped with its
 * state (`$dispose` and its entry in `pinia.state`), so the next `useXStore()` builds it afresh: no
 * data, no request in flight that could still land in it, nothing a store forgot to clear. Only
 * `shell` stores (held by App.vue) stay, cleared by their own `$reset()`.
 */
export function resetStores(pinia: Pinia | undefined = getActivePinia()): void {
  const stores = pinia && built.get(pinia);
  if (!pinia || !stores) return;
  for (const [id, { store, shell }] of [...stores]) {
    if (shell) {
      store.$reset();
      continue;
    }
    store.$dispose();
    delete pinia.state.value[id];
    stores.delete(id);
  }
}
