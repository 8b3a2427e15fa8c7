import type { AftersalesPolicy, ApprovalInput, AssigneeOption, CaseDetail, CaseListResponse, NewCaseInput, TransitionInput } from '@shopcrew/shared';
import type { PolicyInput } from '@/composables/cases';
import { get, post, request } from './http';

/**
 * 售后 (server/src/modules/aftersales): the list, one case, and what members do with it. Reading needs
 * aftersales:read; every action answers with the case as it is now (CaseDetail). 售后规则 per shop needs
 * settings:manage.
 */

const path = (id: number, rest = '') => `/api/cases/${encodeURIComponent(String(id))}${rest}`;

/** GET /api/cases?view=&approval=&shop=&state=&cursor=&limit=: one page, most urgent first (composables/cases.ts `listQuery`). */
export function fetchCases(query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<CaseListResponse> {
  return get<CaseListResponse>('/api/cases', { query, signal });
}

/** GET /api/cases/:id (404 for a case the member may not see). */
export function fetchCase(id: number, signal?: AbortSignal): Promise<CaseDetail> {
  return get<CaseDetail>(path(id), { signal });
}

/** POST /api/cases: a case opened by hand (201). */
export function createCase(body: NewCaseInput): Promise<CaseDetail> {
  return post<CaseDetail>('/api/cases', body);
}

/** POST /api/cases/:id/transition {to, reason?} (409 illegal_transition, 422 validation_failed without a needed reason). */
export function transitionCase(id: number, body: TransitionInput): Promise<CaseDetail> {
  return post<CaseDetail>(path(id, '/transition'), body);
}

/** POST /api/cases/:id/claim (409 already_claimed). */
export function claimCase(id: number): Promise<CaseDetail> {
  return post<CaseDetail>(path(id, '/claim'), {});
}

/** POST /api/cases/:id/assign {userid}: 分配, or 转交 when someone holds it. */
export function assignCase(id: number, userid: string): Promise<CaseDetail> {
  return post<CaseDetail>(path(id, '/assign'), { userid });
}

/** GET /api/cases/:id/assignees: who may be given the case. */
export function fetchCaseAssignees(id: number, signal?: AbortSignal): Promise<{ members: AssigneeOption[] }> {
  return get<{ members: AssigneeOption[] }>(path(id, '/assignees'), { signal });
}

/** POST /api/cases/:id/notes {text} (at most 2000 characters). */
export function addCaseNote(id: number, text: string): Promise<CaseDetail> {
  return post<CaseDetail>(path(id, '/notes'), { text });
}

/**
 * POST /api/cases/:id/approval {decision, reason?} (409 already_decided; 502/422 when Shopee refused to act on
 * it: the approval is then `failed` with Shopee's `error`). Acting on Shopee can take a while.
 */
export function decideApproval(id: number, body: ApprovalInput): Promise<CaseDetail> {
  return post<CaseDetail>(path(id, '/approval'), body, { timeoutMs: 30_000 });
}

const policyPath = (shopId: string) => `/api/aftersales/policies/${encodeURIComponent(shopId)}`;

/** GET /api/aftersales/policies/:shopId (aftersales:read; the defaults when none was saved). */
export function fetchPolicy(shopId: string, signal?: AbortSignal): Promise<AftersalesPolicy> {
  return get<AftersalesPolicy>(policyPath(shopId), { signal });
}

/** PUT /api/aftersales/policies/:shopId (settings:manage; composables/cases.ts `policyInput`; 422 with the server's reason). */
export function savePolicy(shopId: string, body: PolicyInput): Promise<AftersalesPolicy> {
  return request<AftersalesPolicy>(policyPath(shopId), { method: 'PUT', body });
}
