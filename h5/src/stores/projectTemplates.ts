import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ProjectTemplate } from '@shopcrew/shared';
import { fetchProjectTemplates } from '@/api/projects';
import { loadable } from './loadable';

/** 项目模板 (大促, 新品首发, 上架): GET /api/projects/templates, loaded once for 新建项目. */
export const useProjectTemplatesStore = defineStore('projectTemplates', () => {
  const items = ref<ProjectTemplate[]>([]);
  const list = loadable(
    () => fetchProjectTemplates(),
    (data) => (items.value = data.items),
  );
  const load = (force = false) => (list.state.value === 'done' && !force ? Promise.resolve() : list.load());
  const byKey = computed(() => new Map(items.value.map((t) => [t.key, t])));
  return { items, byKey, state: list.state, error: list.error, load };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectTemplatesStore, import.meta.hot));
