import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProjectDetail, ProjectInput, ProjectPatch, ProjectState, TaskInput, TaskMove, TaskMoveResult, TaskPatch, TaskView } from '@shopcrew/shared';
import { createProject, createTask, deleteTask, fetchProject, moveTask, transitionProject, updateProject, updateTask } from '@/api/projects';
import { asApiError, type ApiError } from '@/api/http';
import { followersOf, isEmptyPatch, type TaskChanges } from '@/composables/projects';
import type { LoadState } from '@/types';
import { useProjectsStore } from './projects';

export type ProjectBusy = 'save' | 'transition' | 'task' | 'move' | 'delete';

/** Asked before a move that takes other tasks along: the dependants and their new days. true: go ahead. */
export type ConfirmMove = (followers: TaskMove[], preview: TaskMoveResult) => Promise<boolean>;

/**
 * One project (GET /api/projects/:id) and what is done to it and its tasks: 编辑 (PUT), 开始 / 完成 / 取消 (transition;
 * 409 reloads it), 新建任务, a task's changes (its days through the move endpoint, the preview first and a confirmation
 * when dependants move along; the rest through PATCH), 删除任务, and 新建项目. Every project answer replaces the one shown
 * and its list row; after a task change the project is reloaded quietly, as late / blocking / critical follow from all
 * the tasks.
 */
export const useProjectStore = defineStore('project', () => {
  const id = ref<number | null>(null);
  const current = ref<ProjectDetail | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const busy = ref<ProjectBusy | null>(null);
  const creating = ref(false);

  /** Bumped when another project is opened, so answers for the one before are dropped. */
  let generation = 0;

  function open(next: number): void {
    if (id.value === next) return;
    generation++;
    id.value = next;
    current.value = null;
    state.value = 'idle';
    error.value = null;
  }

  function accept(next: ProjectDetail): void {
    if (next.id === id.value) current.value = next;
    useProjectsStore().patchRow(next);
  }

  /** A task as the server has it now, into the project shown (its marks follow with the next load). */
  function acceptTask(task: TaskView): void {
    const project = current.value;
    if (!project || project.id !== task.projectId) return;
    const i = project.tasks.findIndex((t) => t.id === task.id);
    const tasks = [...project.tasks];
    if (i >= 0) tasks.splice(i, 1, task);
    else tasks.push(task);
    current.value = { ...project, tasks };
  }

  function dropTask(taskId: number): void {
    const project = current.value;
    if (project) current.value = { ...project, tasks: project.tasks.filter((t) => t.id !== taskId) };
  }

  /** Loads project `projectId`; `quiet` (after an action) keeps it on screen and a failure out of the page. */
  async function load(projectId: number, { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    open(projectId);
    const mine = generation;
    if (!quiet || !current.value) {
      state.value = 'loading';
      error.value = null;
    }
    try {
      const data = await fetchProject(projectId);
      if (mine !== generation) return;
      accept(data);
      state.value = 'done';
      error.value = null;
    } catch (e) {
      if (mine !== generation) return;
      if (quiet && current.value) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  const refresh = (projectId: number | null) => (projectId !== null && projectId === id.value ? load(projectId, { quiet: true }) : Promise.resolve());

  async function run<T>(kind: ProjectBusy, call: () => Promise<T>): Promise<T> {
    busy.value = kind;
    try {
      return await call();
    } catch (e) {
      throw asApiError(e);
    } finally {
      busy.value = null;
    }
  }

  /** 编辑项目. Throws ApiError. */
  async function update(projectId: number, patch: ProjectPatch): Promise<void> {
    accept(await run('save', () => updateProject(projectId, patch)));
  }

  /** 开始 / 完成 / 取消. A 409 (someone moved it first) reloads it. Throws ApiError. */
  async function transition(projectId: number, to: ProjectState): Promise<void> {
    try {
      accept(await run('transition', () => transitionProject(projectId, to)));
    } catch (e) {
      if (asApiError(e).status === 409) void refresh(projectId);
      throw e;
    }
  }

  /** 新建任务. Throws ApiError (422 dependency_cycle). */
  async function addTask(projectId: number, input: TaskInput): Promise<TaskView> {
    const task = await run('task', () => createTask(projectId, input));
    acceptTask(task);
    void refresh(projectId);
    return task;
  }

  /** What a move would do (nothing changes). Throws ApiError. */
  const previewMove = (taskId: number, dates: { start: string; due: string }) => run('move', () => moveTask(taskId, { ...dates, preview: true }));

  /** Moves a task (and the dependants that must follow). Throws ApiError. */
  async function applyMove(taskId: number, projectId: number, dates: { start: string; due: string }): Promise<TaskMoveResult> {
    const result = await run('move', () => moveTask(taskId, dates));
    if (result.project) accept(result.project);
    else void refresh(projectId);
    return result;
  }

  /**
   * Moves a task to new days: the preview first, then `confirm` (asked when dependants move along, or `always`), then the
   * move. Null when the member said no. Throws ApiError.
   */
  async function move(
    task: Pick<TaskView, 'id' | 'projectId'>,
    dates: { start: string; due: string },
    confirm: ConfirmMove,
    always = false,
  ): Promise<TaskMoveResult | null> {
    const preview = await previewMove(task.id, dates);
    const followers = followersOf(preview, task.id);
    if ((always || followers.length > 0) && !(await confirm(followers, preview))) return null;
    return applyMove(task.id, task.projectId, dates);
  }

  /**
   * Saves a task's form: new days first (see `move`; a no stops everything), then the other changes. 'cancelled' when
   * the member said no. Throws ApiError.
   */
  async function saveTask(task: TaskView, changes: TaskChanges, confirm: ConfirmMove): Promise<'saved' | 'cancelled'> {
    if (changes.dates && !(await move(task, changes.dates, confirm))) return 'cancelled';
    if (!isEmptyPatch(changes.patch)) acceptTask(await run('task', () => updateTask(task.id, changes.patch)));
    void refresh(task.projectId);
    return 'saved';
  }

  /** One field of a task (its state from the task page). Throws ApiError. */
  async function patchTask(task: Pick<TaskView, 'id' | 'projectId'>, patch: TaskPatch): Promise<TaskView> {
    const view = await run('task', () => updateTask(task.id, patch));
    acceptTask(view);
    void refresh(task.projectId);
    return view;
  }

  /** 删除任务. Throws ApiError. */
  async function removeTask(task: Pick<TaskView, 'id' | 'projectId'>): Promise<void> {
    await run('delete', () => deleteTask(task.id));
    dropTask(task.id);
    void refresh(task.projectId);
  }

  /**
   * 新建项目: one POST, the owners picked for a template's tasks included (`taskOwners`), so the project and its tasks'
   * owners are made together or not at all. The new project becomes the one shown. Throws ApiError.
   */
  async function create(input: ProjectInput): Promise<ProjectDetail> {
    creating.value = true;
    try {
      const created = await createProject(input);
      open(created.id);
      accept(created);
      state.value = 'done';
      return created;
    } catch (e) {
      throw asApiError(e);
    } finally {
      creating.value = false;
    }
  }

  return {
    id,
    current,
    state,
    error,
    busy,
    creating,
    load,
    update,
    transition,
    addTask,
    previewMove,
    applyMove,
    move,
    saveTask,
    patchTask,
    removeTask,
    create,
    acceptTask,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectStore, import.meta.hot));
