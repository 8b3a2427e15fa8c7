import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AttachmentView, CommentInput, CommentVersion, CommentView, TaskDetail, TaskPatch, TaskView } from '@shopcrew/shared';
import { addComment, editComment, fetchCommentHistory, fetchTask, uploadTaskFile } from '@/api/projects';
import { asApiError, type ApiError } from '@/api/http';
import type { TaskChanges } from '@/composables/projects';
import type { LoadState } from '@/types';
import { useProjectStore, type ConfirmMove } from './project';

/**
 * One task (GET /api/tasks/:id) with its comments, files and history, and what is done there: 评论 (a reply, @mentions),
 * editing one's own comment and its earlier versions, 上传文件, a new state, the task's form and 删除 (through the
 * project store, so the project and the list stay in step). After each change the task is reloaded quietly for its
 * history.
 */
export const useProjectTaskStore = defineStore('projectTask', () => {
  const id = ref<number | null>(null);
  const current = ref<TaskDetail | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  const posting = ref(false);
  const uploading = ref(false);
  /** A comment's earlier versions, once asked for. */
  const histories = ref<Record<number, { state: LoadState; items: CommentVersion[]; error: ApiError | null }>>({});

  let generation = 0;

  function open(next: number): void {
    if (id.value === next) return;
    generation++;
    id.value = next;
    current.value = null;
    state.value = 'idle';
    error.value = null;
    histories.value = {};
  }

  /** Loads task `taskId`; `quiet` (after an action) keeps it on screen and a failure out of the page. */
  async function load(taskId: number, { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    open(taskId);
    const mine = generation;
    if (!quiet || !current.value) {
      state.value = 'loading';
      error.value = null;
    }
    try {
      const data = await fetchTask(taskId);
      if (mine !== generation) return;
      current.value = data;
      state.value = 'done';
      error.value = null;
    } catch (e) {
      if (mine !== generation) return;
      if (quiet && current.value) return;
      error.value = asApiError(e);
      state.value = 'error';
    }
  }

  const reload = (taskId: number) => (taskId === id.value ? load(taskId, { quiet: true }) : Promise.resolve());

  function acceptView(view: TaskView): void {
    if (current.value && current.value.task.id === view.id) current.value = { ...current.value, task: view };
  }

  function update(taskId: number, change: (detail: TaskDetail) => TaskDetail): void {
    if (current.value && current.value.task.id === taskId) current.value = change(current.value);
  }

  /** 发表 a comment or a reply. Throws ApiError. */
  async function comment(taskId: number, input: CommentInput): Promise<CommentView> {
    posting.value = true;
    try {
      const added = await addComment(taskId, input);
      update(taskId, (d) => ({ ...d, comments: [...d.comments, added] }));
      void reload(taskId);
      return added;
    } catch (e) {
      throw asApiError(e);
    } finally {
      posting.value = false;
    }
  }

  /** 编辑 one's own comment. Throws ApiError. */
  async function edit(taskId: number, commentId: number, body: string): Promise<CommentView> {
    posting.value = true;
    try {
      const edited = await editComment(commentId, body);
      update(taskId, (d) => ({ ...d, comments: d.comments.map((c) => (c.id === edited.id ? edited : c)) }));
      delete histories.value[commentId];
      return edited;
    } catch (e) {
      throw asApiError(e);
    } finally {
      posting.value = false;
    }
  }

  /** A comment's earlier versions (GET /api/comments/:id/history), into `histories`. */
  async function loadHistory(commentId: number): Promise<void> {
    const entry = histories.value[commentId];
    if (entry && (entry.state === 'loading' || entry.state === 'done')) return;
    histories.value[commentId] = { state: 'loading', items: [], error: null };
    try {
      const { items } = await fetchCommentHistory(commentId);
      histories.value[commentId] = { state: 'done', items, error: null };
    } catch (e) {
      histories.value[commentId] = { state: 'error', items: [], error: asApiError(e) };
    }
  }

  /** 上传 a file. Throws ApiError (413 file_too_large, 415 unsupported_file_type). */
  async function upload(taskId: number, file: File): Promise<AttachmentView> {
    uploading.value = true;
    try {
      const added = await uploadTaskFile(taskId, file, file.name || 'file');
      update(taskId, (d) => ({ ...d, attachments: [...d.attachments, added] }));
      void reload(taskId);
      return added;
    } catch (e) {
      throw asApiError(e);
    } finally {
      uploading.value = false;
    }
  }

  /** One change (the state). Throws ApiError. */
  async function patch(task: TaskView, change: TaskPatch): Promise<void> {
    acceptView(await useProjectStore().patchTask(task, change));
    void reload(task.id);
  }

  /** The task's form (see the project store's saveTask). Throws ApiError. */
  async function save(task: TaskView, changes: TaskChanges, confirm: ConfirmMove): Promise<'saved' | 'cancelled'> {
    const outcome = await useProjectStore().saveTask(task, changes, confirm);
    if (outcome === 'saved') await reload(task.id);
    return outcome;
  }

  /** 删除任务. Throws ApiError. */
  async function remove(task: TaskView): Promise<void> {
    await useProjectStore().removeTask(task);
    if (id.value === task.id) {
      current.value = null;
      state.value = 'idle';
    }
  }

  return { id, current, state, error, posting, uploading, histories, load, comment, edit, loadHistory, upload, patch, save, remove };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectTaskStore, import.meta.hot));
