import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { SopRule, SopRuleInput } from '@shopcrew/shared';
import { createRule, deleteRule, fetchRules, updateRule } from '@/api/sop';
import { asApiError } from '@/api/http';
import { formFromRule, ruleInput } from '@/composables/sop';
import { loadable } from './loadable';

/**
 * 清单规则 (GET /api/sop/rules): what starts a run by itself. `save()` creates or replaces one, `setEnabled()` flips
 * 启用 (a PUT of the whole rule), `remove()` deletes it; each updates the list from the server's answer.
 */
export const useSopRulesStore = defineStore('sopRules', () => {
  const items = ref<SopRule[]>([]);
  const list = loadable(
    () => fetchRules(),
    (data) => (items.value = data.items),
  );
  const load = (force = false) => (list.state.value === 'done' && !force ? Promise.resolve() : list.load());
  const ruleById = (id: number) => items.value.find((r) => r.id === id);

  function upsert(rule: SopRule): void {
    const i = items.value.findIndex((r) => r.id === rule.id);
    if (i >= 0) items.value.splice(i, 1, rule);
    else items.value = [...items.value, rule];
  }

  /** Creates (`id` null) or replaces a rule. Throws ApiError. */
  async function save(id: number | null, input: SopRuleInput): Promise<SopRule> {
    try {
      const saved = id === null ? await createRule(input) : await updateRule(id, input);
      upsert(saved);
      return saved;
    } catch (e) {
      throw asApiError(e);
    }
  }

  /** Rules whose 启用 switch is being saved. */
  const toggling = ref<Record<number, boolean>>({});

  /** The 启用 switch. Throws ApiError; the list keeps the old value then. */
  async function setEnabled(rule: SopRule, enabled: boolean): Promise<void> {
    if (toggling.value[rule.id]) return;
    const result = ruleInput({ ...formFromRule(rule), enabled });
    if ('error' in result) return;
    toggling.value[rule.id] = true;
    try {
      await save(rule.id, result.input);
    } finally {
      delete toggling.value[rule.id];
    }
  }

  async function remove(id: number): Promise<void> {
    try {
      await deleteRule(id);
    } catch (e) {
      throw asApiError(e);
    }
    items.value = items.value.filter((r) => r.id !== id);
  }

  return { items, state: list.state, error: list.error, load, ruleById, save, toggling, setEnabled, remove };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSopRulesStore, import.meta.hot));
