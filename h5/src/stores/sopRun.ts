import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { SopFileUploaded, SopRunDetail, SopRunInput, SopStepInput } from '@shopcrew/shared';
import { createRun, fetchRun, setStep, uploadFile, uploadWecomMedia } from '@/api/sop';
import { asApiError, type ApiError } from '@/api/http';
import { stepBody } from '@/composables/sop';
import type { LoadState } from '@/types';
import { useSopRunsStore } from './sopRuns';

export type StepAction = 'done' | 'skip' | 'undo';

/**
 * One run (GET /api/sop/runs/:id) and what the member does with its steps: 完成 (with the evidence, a photo uploaded
 * first), 跳过 (with a reason), 撤销. Every answer is the run as it is now; it replaces the one shown and the list's
 * row. A refusal because the run or the step moved on (409 run_not_running, 403) reloads it. Also 新建清单.
 */
export const useSopRunStore = defineStore('sopRun', () => {
  const id = ref<number | null>(null);
  const current = ref<SopRunDetail | null>(null);
  const state = ref<LoadState>('idle');
  const error = ref<ApiError | null>(null);
  /** The step whose action is on its way (one at a time). */
  const busy = ref<{ stepId: number; action: StepAction } | null>(null);
  const creating = ref(false);
  const uploading = ref(false);

  /** Bumped when another run is opened, so answers for the one before are dropped. */
  let generation = 0;

  function open(next: number): void {
    if (id.value === next) return;
    generation++;
    id.value = next;
    current.value = null;
    state.value = 'idle';
    error.value = null;
  }

  function accept(next: SopRunDetail): void {
    if (next.id === id.value) current.value = next;
    useSopRunsStore().patchRow(next);
  }

  /** Loads run `runId`; `quiet` (after an action) keeps it on screen and a failure out of the page. */
  async function load(runId: number, { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    open(runId);
    const mine = generation;
    if (!quiet || !current.value) {
      state.value = 'loading';
      error.value = null;
    }
    try {
      const data = await fetchRun(runId);
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

  /** A step done / skipped / back to todo. Throws ApiError (422 evidence_required with the server's sentence). */
  async function act(runId: number, stepId: number, action: StepAction, input: SopStepInput): Promise<SopRunDetail> {
    busy.value = { stepId, action };
    try {
      const next = await setStep(runId, stepId, stepBody(input));
      accept(next);
      return next;
    } catch (e) {
      const err = asApiError(e);
      // The run ended, or the step is no longer the member's: show it as it is now.
      if (err.status === 409 || err.status === 403) void load(runId, { quiet: true });
      throw err;
    } finally {
      busy.value = null;
    }
  }

  async function whileUploading<T>(call: () => Promise<T>): Promise<T> {
    uploading.value = true;
    try {
      return await call();
    } catch (e) {
      throw asApiError(e);
    } finally {
      uploading.value = false;
    }
  }

  /** A photo chosen from a file input (outside WeCom). Throws ApiError (413 file_too_large, 415 unsupported_file_type). */
  const uploadPhoto = (file: File): Promise<SopFileUploaded> => whileUploading(() => uploadFile(file, file.name || 'photo.jpg'));

  /** A photo the JS-SDK uploaded to WeCom (ww.uploadImage's serverId): the server fetches and keeps it. */
  const uploadMedia = (mediaId: string): Promise<SopFileUploaded> => whileUploading(() => uploadWecomMedia(mediaId));

  /** 新建清单: the new run becomes the one shown. Throws ApiError. */
  async function create(input: SopRunInput): Promise<SopRunDetail> {
    creating.value = true;
    try {
      const created = await createRun(input);
      open(created.id);
      current.value = created;
      state.value = 'done';
      return created;
    } catch (e) {
      throw asApiError(e);
    } finally {
      creating.value = false;
    }
  }

  return { id, current, state, error, busy, creating, uploading, load, act, uploadPhoto, uploadMedia, create };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSopRunStore, import.meta.hot));
