import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { MyTask } from '@shopcrew/shared';
import { fetchMyTasks } from '@/api/projects';
import { loadable } from './loadable';

/** 我的任务 (home's counter opens it): my open tasks across projects (GET /api/tasks?view=mine), soonest due first. */
export const useMyTasksStore = defineStore('myTasks', () => {
  const items = ref<MyTask[]>([]);
  const list = loadable(
    () => fetchMyTasks(),
    (data) => (items.value = data.items),
  );
  return { items, state: list.state, error: list.error, load: list.load };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useMyTasksStore, import.meta.hot));
