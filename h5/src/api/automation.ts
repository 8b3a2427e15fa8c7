import type { AutomationCatalogue, AutomationDryRun, AutomationRuleInput, AutomationRuleView, AutomationRunView } from '@shopcrew/shared';
import { get, post, request } from './http';

/**
 * 自动化规则 (server/src/modules/automation, the contract in shared/src/api/automation.ts): the catalogue the editor
 * offers, rules (PUT is compare-and-set on `version`: 409 `rule_changed`), their switch, dry runs and run log. All
 * automation:manage. A rule that could not work is 422 with the server's sentence and `details.field`
 * (`condition`, `trigger.cron`, `actions.0.key`, `params.member`).
 */

const id = (value: number) => encodeURIComponent(String(value));

/** GET /api/automations/catalogue: events with their fields, actions with their params. */
export function fetchCatalogue(signal?: AbortSignal): Promise<AutomationCatalogue> {
  return get<AutomationCatalogue>('/api/automations/catalogue', { signal });
}

/** GET /api/automations (oldest first). */
export function fetchRules(signal?: AbortSignal): Promise<{ items: AutomationRuleView[] }> {
  return get<{ items: AutomationRuleView[] }>('/api/automations', { signal });
}

/** GET /api/automations/:id. */
export function fetchRule(ruleId: number, signal?: AbortSignal): Promise<AutomationRuleView> {
  return get<AutomationRuleView>(`/api/automations/${id(ruleId)}`, { signal });
}

/** POST /api/automations (201; disabled unless `enabled`). */
export function createRule(body: AutomationRuleInput): Promise<AutomationRuleView> {
  return post<AutomationRuleView>('/api/automations', body);
}

/** PUT /api/automations/:id with the `version` read (409 rule_changed when someone saved in between). */
export function updateRule(ruleId: number, body: AutomationRuleInput): Promise<AutomationRuleView> {
  return request<AutomationRuleView>(`/api/automations/${id(ruleId)}`, { method: 'PUT', body });
}

/** DELETE /api/automations/:id (204; its run log goes too). */
export function deleteRule(ruleId: number): Promise<void> {
  return request<void>(`/api/automations/${id(ruleId)}`, { method: 'DELETE' });
}

/** POST /api/automations/:id/enable | disable: the rule as it is now. */
export function setRuleEnabled(ruleId: number, enabled: boolean): Promise<AutomationRuleView> {
  return post<AutomationRuleView>(`/api/automations/${id(ruleId)}/${enabled ? 'enable' : 'disable'}`);
}

/** POST /api/automations/:id/dry-run: the saved rule over the last 7 days of its trigger (changes nothing). */
export function dryRunRule(ruleId: number): Promise<AutomationDryRun> {
  return post<AutomationDryRun>(`/api/automations/${id(ruleId)}/dry-run`, undefined, { timeoutMs: 30_000 });
}

/** POST /api/automations/dry-run: an unsaved draft, checked like a save (422 the same way). */
export function dryRunDraft(body: AutomationRuleInput): Promise<AutomationDryRun> {
  return post<AutomationDryRun>('/api/automations/dry-run', body, { timeoutMs: 30_000 });
}

/** GET /api/automations/:id/runs?before=&limit=: newest first; `next` is the `before` of the next page. */
export function fetchRuns(
  ruleId: number,
  query: { before?: number; limit?: number },
  signal?: AbortSignal,
): Promise<{ items: AutomationRunView[]; next: number | null }> {
  return get<{ items: AutomationRunView[]; next: number | null }>(`/api/automations/${id(ruleId)}/runs`, { query, signal });
}
