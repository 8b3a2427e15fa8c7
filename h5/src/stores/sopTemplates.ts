import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SopTemplateDetail, SopTemplateInput, SopTemplateSummary } from '@shopcrew/shared';
import { createTemplate, fetchTemplate, fetchTemplates, updateTemplate } from '@/api/sop';
import { asApiError, type ApiError } from '@/api/http';
import type { LoadState } from '@/types';
import { loadable } from './loadable';

const toSummary = ({ id, name, category, description, version, stepCount, updatedAt }: SopTemplateSummary): SopTemplateSummary => ({
  id,
  name,
  category,
  description,
  version,
  stepCount,
  updatedAt,
});

/**
 * 清单模板: the list (GET /api/sop/templates; 新建清单's picker and 设置 → SOP 清单), one template with its versions
 * (GET /api/sop/templates/:id) for the editor, and `save()` (POST, or PUT publishing the next version), whose answer
 * replaces the one shown and its row.
 */
export const useSopTemplatesStore = defineStore('sopTemplates', () => {
  const items = ref<SopTemplateSummary[]>([]);
  const list = loadable(
    () => fetchTemplates(),
    (data) => (items.value = data.items),
  );
  const load = (force = false) => (list.state.value === 'done' && !force ? Promise.resolve() : list.load());
  const byId = computed(() => new Map(items.value.map((t) => [t.id, t])));

  // ---- one template ----
  const detailId = ref<number | null>(null);
  const detail = ref<SopTemplateDetail | null>(null);
  const detailState = ref<LoadState>('idle');
  const detailError = ref<ApiError | null>(null);
  let generation = 0;

  async function loadDetail(id: number): Promise<void> {
    const mine = ++generation;
    if (detailId.value !== id) detail.value = null;
    detailId.value = id;
    detailState.value = 'loading';
    detailError.value = null;
    try {
      const data = await fetchTemplate(id);
      if (mine !== generation) return;
      detail.value = data;
      detailState.value = 'done';
    } catch (e) {
      if (mine !== generation) return;
      detailError.value = asApiError(e);
      detailState.value = 'error';
    }
  }

  function upsert(saved: SopTemplateDetail): void {
    const row = toSummary(saved);
    const i = items.value.findIndex((t) => t.id === saved.id);
    if (i >= 0) items.value.splice(i, 1, row);
    else items.value = [...items.value, row];
  }

  const saving = ref(false);

  /** Creates (`id` null) or publishes the next version. Throws ApiError (422 with the server's reason). */
  async function save(id: number | null, input: SopTemplateInput): Promise<SopTemplateDetail> {
    saving.value = true;
    try {
      const saved = id === null ? await createTemplate(input) : await updateTemplate(id, input);
      generation++;
      detailId.value = saved.id;
      detail.value = saved;
      detailState.value = 'done';
      detailError.value = null;
      upsert(saved);
      return saved;
    } catch (e) {
      throw asApiError(e);
    } finally {
      saving.value = false;
    }
  }

  return { items, state: list.state, error: list.error, load, byId, detailId, detail, detailState, detailError, loadDetail, saving, save };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSopTemplatesStore, import.meta.hot));
