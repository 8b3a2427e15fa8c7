import type {
  AdminSummary,
  AuditListResponse,
  AuditQuery,
  CreateBindingRequest,
  MembersResponse,
  RoleBindingView,
  RoleMembersResponse,
  RolesResponse,
  SyncStartResponse,
  SyncStatusResponse,
  TagsResponse,
} from '@shopcrew/shared';
import { get, post, request } from './http';

/** GET /api/roles: role definitions and every binding with its subject's name. */
export function fetchRoles(signal?: AbortSignal): Promise<RolesResponse> {
  return get<RolesResponse>('/api/roles', { signal });
}

/** GET /api/roles/members: every active member with their roles and where each comes from. */
export function fetchRoleMembers(signal?: AbortSignal): Promise<RoleMembersResponse> {
  return get<RoleMembersResponse>('/api/roles/members', { signal });
}

/** POST /api/roles/bindings → 201 (422 validation_failed / subject_not_found, 409 binding_exists). */
export function createBinding(body: CreateBindingRequest): Promise<RoleBindingView> {
  return post<RoleBindingView>('/api/roles/bindings', body);
}

/** DELETE /api/roles/bindings/:id → 204 */
export function deleteBinding(id: number): Promise<void> {
  return request<void>(`/api/roles/bindings/${id}`, { method: 'DELETE' });
}

/** GET /api/org/tags */
export function fetchTags(signal?: AbortSignal): Promise<TagsResponse> {
  return get<TagsResponse>('/api/org/tags', { signal });
}

/** GET /api/org/members?q=: active members by name, userid or position (at most 20). */
export function searchMembers(q: string, signal?: AbortSignal): Promise<MembersResponse> {
  return get<MembersResponse>('/api/org/members', { query: { q }, signal });
}

type QueryValues = Record<string, string | number | undefined>;
const auditParams = (q: AuditQuery): QueryValues => ({ ...q });

/** GET /api/audit: one page, newest first. */
export function fetchAudit(query: AuditQuery, signal?: AbortSignal): Promise<AuditListResponse> {
  return get<AuditListResponse>('/api/audit', { query: auditParams(query), signal });
}

/** Where the CSV export of the same filters downloads from (a plain GET: the browser saves the file). */
export function auditExportUrl(query: Omit<AuditQuery, 'before' | 'limit'>, timeZone?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, tz: timeZone })) if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return `/api/audit/export${qs ? `?${qs}` : ''}`;
}

/** GET /api/org/sync */
export function fetchSyncStatus(signal?: AbortSignal): Promise<SyncStatusResponse> {
  return get<SyncStatusResponse>('/api/org/sync', { signal });
}

/** POST /api/org/sync → 202 (409 sync_running). */
export function startSync(): Promise<SyncStartResponse> {
  return post<SyncStartResponse>('/api/org/sync', {});
}

/** GET /api/admin/summary?since=<local midnight>: the home page's 管理 counters. */
export function fetchAdminSummary(since: number, signal?: AbortSignal): Promise<AdminSummary> {
  return get<AdminSummary>('/api/admin/summary', { query: { since }, signal });
}
