import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DepartmentNode, MembersResponse } from '@shopcrew/shared';
import { fetchDepartments, fetchMembers } from '@/api/org';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';
import { loadable } from './loadable';

interface MembersEntry {
  state: LoadState;
  data: MembersResponse | null;
  error: ApiError | null;
}

/** The department tree and the members of each department (GET /api/org/*). */
export const useOrgStore = defineStore('org', () => {
  /** Root departments with nested children. */
  const departments = ref<DepartmentNode[]>([]);
  const tree = loadable(
    () => fetchDepartments(),
    (data) => (departments.value = data.departments),
  );
  /** Members per department id, loaded on demand. */
  const members = ref<Record<number, MembersEntry>>({});

  /** id → node, and id → parent id, for lookups and breadcrumbs. */
  const index = computed(() => {
    const byId = new Map<number, DepartmentNode>();
    const walk = (nodes: DepartmentNode[]) => {
      for (const node of nodes) {
        byId.set(node.id, node);
        walk(node.children);
      }
    };
    walk(departments.value);
    return byId;
  });

  function department(id: number): DepartmentNode | undefined {
    return index.value.get(id);
  }

  /** Departments from the root down to `id` (inclusive); empty when unknown. */
  function pathTo(id: number): DepartmentNode[] {
    const path: DepartmentNode[] = [];
    let node = index.value.get(id);
    while (node) {
      path.unshift(node);
      node = node.parentId === null ? undefined : index.value.get(node.parentId);
    }
    return path;
  }

  /** Load the tree (once unless `force`). Errors are kept, never thrown. */
  function loadDepartments(force = false): Promise<void> {
    return tree.state.value === 'done' && !force ? Promise.resolve() : tree.load();
  }

  /** Load the members of one department (cached unless `force`). */
  async function loadMembers(departmentId: number, force = false): Promise<void> {
    const current = members.value[departmentId];
    if (current && (current.state === 'loading' || (current.state === 'done' && !force))) return;
    members.value[departmentId] = { state: 'loading', data: current?.data ?? null, error: null };
    try {
      const data = await fetchMembers(departmentId);
      members.value[departmentId] = { state: 'done', data, error: null };
    } catch (e) {
      members.value[departmentId] = { state: 'error', data: current?.data ?? null, error: asApiError(e) };
    }
  }

  return {
    departments,
    departmentsState: tree.state,
    departmentsError: tree.error,
    members,
    department,
    pathTo,
    loadDepartments,
    loadMembers,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useOrgStore, import.meta.hot));
