import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AutomationCatalogue, AutomationDryRun, AutomationRuleInput, AutomationRuleView, ProjectSummary } from '@shopcrew/shared';
import { createRule, deleteRule, dryRunDraft, dryRunRule, fetchCatalogue, fetchRules, setRuleEnabled, updateRule } from '@/api/automation';
import { asApiError } from '@/api/http';
import { fetchProjects } from '@/api/projects';
import { loadable } from './loadable';

/**
 * 自动化规则: the catalogue (events with their fields, actions with their params; once), the rules (GET /api/automations),
 * and the writes on them: `save()` (POST, or PUT with the version read), `setEnabled()` (the enable / disable
 * endpoints), `remove()`, `dryRun()` (a saved rule's, or a draft's). Writes throw ApiError for the page to show next to
 * the field; each answer replaces the rule in the list. The open projects are the 新建项目任务 action's picker.
 */
export const useAutomationStore = defineStore('automation', () => {
  // ---- catalogue ----
  const catalogue = ref<AutomationCatalogue | null>(null);
  const catalogueLoad = loadable(
    () => fetchCatalogue(),
    (data) => (catalogue.value = data),
  );
  const loadCatalogue = (force = false) => (catalogueLoad.state.value === 'done' && !force ? Promise.resolve() : catalogueLoad.load());
  const eventByType = computed(() => new Map((catalogue.value?.events ?? []).map((e) => [e.type, e])));
  const actionByKey = computed(() => new Map((catalogue.value?.actions ?? []).map((a) => [a.key, a])));

  // ---- rules ----
  const items = ref<AutomationRuleView[]>([]);
  const list = loadable(
    () => fetchRules(),
    (data) => (items.value = data.items),
  );
  const load = (force = false) => (list.state.value === 'done' && !force ? Promise.resolve() : list.load());
  const ruleById = (id: number) => items.value.find((r) => r.id === id);

  function upsert(rule: AutomationRuleView): void {
    const i = items.value.findIndex((r) => r.id === rule.id);
    if (i >= 0) items.value.splice(i, 1, rule);
    else items.value = [...items.value, rule].sort((a, b) => a.id - b.id);
  }

  /** Creates (`id` null; saved disabled) or replaces a rule (`input.version`: 409 rule_changed). Throws ApiError. */
  async function save(id: number | null, input: AutomationRuleInput): Promise<AutomationRuleView> {
    try {
      const saved = id === null ? await createRule(input) : await updateRule(id, input);
      upsert(saved);
      return saved;
    } catch (e) {
      throw asApiError(e);
    }
  }

  /** Rules whose switch is being saved. */
  const toggling = ref<Record<number, boolean>>({});

  /** 启用 / 停用. Throws ApiError; the list keeps the old value then. */
  async function setEnabled(id: number, enabled: boolean): Promise<AutomationRuleView | undefined> {
    if (toggling.value[id]) return undefined;
    toggling.value[id] = true;
    try {
      const saved = await setRuleEnabled(id, enabled);
      upsert(saved);
      return saved;
    } catch (e) {
      throw asApiError(e);
    } finally {
      delete toggling.value[id];
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

  /** The saved rule's dry run (`id`), or the draft's (`id` null: checked like a save, 422 the same way). Throws ApiError. */
  async function dryRun(id: number | null, draft: AutomationRuleInput): Promise<AutomationDryRun> {
    try {
      return id === null ? await dryRunDraft(draft) : await dryRunRule(id);
    } catch (e) {
      throw asApiError(e);
    }
  }

  // ---- projects (the 新建项目任务 action's picker: those still open) ----
  const projects = ref<ProjectSummary[]>([]);
  const projectLoad = loadable(
    () => Promise.all([fetchProjects({ state: 'active', limit: 50 }), fetchProjects({ state: 'planning', limit: 50 })]),
    ([active, planning]) => (projects.value = [...active.items, ...planning.items]),
  );
  const loadProjects = (force = false) => (projectLoad.state.value === 'done' && !force ? Promise.resolve() : projectLoad.load());

  return {
    catalogue,
    catalogueState: catalogueLoad.state,
    catalogueError: catalogueLoad.error,
    loadCatalogue,
    eventByType,
    actionByKey,
    items,
    state: list.state,
    error: list.error,
    load,
    ruleById,
    save,
    toggling,
    setEnabled,
    remove,
    dryRun,
    projects,
    projectsState: projectLoad.state,
    projectsError: projectLoad.error,
    loadProjects,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAutomationStore, import.meta.hot));
