import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CreateBindingRequest, MemberRoles, RoleBindingView, RoleDefinition, RoleKey, TagSummary } from '@shopcrew/shared';
import { createBinding, deleteBinding, fetchRoleMembers, fetchRoles, fetchTags } from '@/api/admin';
import { loadable } from './loadable';

/** 角色与权限: role definitions, bindings (GET /api/roles) and who holds what (GET /api/roles/members). */
export const useRolesStore = defineStore('roles', () => {
  const roles = ref<RoleDefinition[]>([]);
  const bindings = ref<RoleBindingView[]>([]);
  const members = ref<MemberRoles[]>([]);
  /** Load both lists (concurrent calls share the requests). Errors are kept, never thrown. */
  const { state, error, load } = loadable(
    () => Promise.all([fetchRoles(), fetchRoleMembers()]),
    ([r, m]) => {
      roles.value = r.roles;
      bindings.value = r.bindings;
      members.value = m.members;
    },
  );

  /** Tags for the binding picker, loaded when the picker first shows them. */
  const tags = ref<TagSummary[]>([]);
  const tagList = loadable(
    () => fetchTags(),
    (data) => (tags.value = data.tags),
  );

  /** Load the tags (once unless `force`). */
  function loadTags(force = false): Promise<void> {
    return tagList.state.value === 'done' && !force ? Promise.resolve() : tagList.load();
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

  return {
    roles,
    bindings,
    members,
    state,
    error,
    tags,
    tagsState: tagList.state,
    tagsError: tagList.error,
    load,
    loadTags,
    bind,
    unbind,
    bindingsByRole,
    membersByRole,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRolesStore, import.meta.hot));
