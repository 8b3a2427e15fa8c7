import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CreateBindingRequest, MemberRoles, RoleBindingView, RoleDefinition, RoleKey, TagSummary } from '@shopcrew/shared';
import { createBinding, deleteBinding, fetchRoleMembers, fetchRoles, fetchTags } from '@/api/admin';
import { ApiError } from '@/api/http';
import type { LoadState } from '@/types';

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e)));

/** 角色与权限: role definitions, bindings (GET /api/roles) and who holds what (GET /api/roles/members). */
export const useRolesStore = defineStore('roles', () => {
  const roles = ref<RoleDefinition[]>([]);
  const bindings = ref<RoleBindingView[]>([]);
  const members = ref<MemberRoles[]>([]);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);

  /** Tags for the binding picker, loaded when the picker first shows them. */
  const tags = ref<TagSummary[]>([]);
  const tagsState = ref<LoadState>('idle');
  const tagsError = ref<ApiError | null>(null);

  let inflight: Promise<void> | null = null;

  /** Load both lists (concurrent calls share the requests). Errors are kept, never thrown. */
  function load(): Promise<void> {
    if (inflight) return inflight;
    state.value = 'loading';
    error.value = null;
    inflight = Promise.all([fetchRoles(), fetchRoleMembers()])
      .then(([r, m]) => {
        roles.value = r.roles;
        bindings.value = r.bindings;
        members.value = m.members;
        state.value = 'done';
      })
      .catch((e: unknown) => {
        error.value = asApiError(e);
        state.value = 'error';
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  async function loadTags(force = false): Promise<void> {
    if (tagsState.value === 'loading' || (tagsState.value === 'done' && !force)) return;
    tagsState.value = 'loading';
    tagsError.value = null;
    try {
      tags.value = (await fetchTags()).tags;
      tagsState.value = 'done';
    } catch (e) {
      tagsError.value = asApiError(e);
      tagsState.value = 'error';
    }
  }

  /** POST a binding, then reload so the effective members follow. Throws ApiError (409, 422 …). */
  async function bind(body: CreateBindingRequest): Promise<RoleBindingView> {
    const created = await createBinding(body);
    await load();
    return created;
  }

  /** DELETE a binding, then reload. Throws ApiError. */
  async function unbind(id: number): Promise<void> {
    await deleteBinding(id);
    await load();
  }

  const bindingsByRole = computed(() => {
    const out = new Map<RoleKey, RoleBindingView[]>();
    for (const b of bindings.value) out.set(b.role, [...(out.get(b.role) ?? []), b]);
    return out;
  });

  const membersByRole = computed(() => {
    const out = new Map<RoleKey, MemberRoles[]>();
    for (const m of members.value) for (const role of m.roles) out.set(role, [...(out.get(role) ?? []), m]);
    return out;
  });

  return { roles, bindings, members, state, error, tags, tagsState, tagsError, load, loadTags, bind, unbind, bindingsByRole, membersByRole };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRolesStore, import.meta.hot));
