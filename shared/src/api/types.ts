import type { Permission, RoleDefinition, RoleKey } from '../auth/roles';
import type { ScopedRole, ShopScope } from '../auth/can';

/** The one error shape every API route answers with. */
export interface ApiErrorBody {
  error: { code: string; message: string; requestId?: string; details?: unknown };
}

export interface DepartmentRef {
  id: number;
  name: string;
}

/** GET /api/me */
export interface MeResponse {
  userid: string;
  name: string;
  departments: DepartmentRef[];
  roles: RoleKey[];
  permissions: Permission[];
  /** Each role with the shops it covers ('all' or shop ids): the H5 asks `can(me, permission, {shopId})` as the server does. */
  grants: ScopedRole[];
  /** true when the server runs against the bundled demo corp (no WECOM_CORP_ID configured). */
  demo: boolean;
  /** Demo only: the simulator's page of what this member received in WeCom (messages and cards, whose buttons work). */
  demoInboxUrl?: string;
}

/** GET /api/org/departments: the department tree. */
export interface DepartmentNode {
  id: number;
  name: string;
  parentId: number | null;
  order: number;
  /** Active members directly in this department. */
  memberCount: number;
  /** Distinct active members in this department and all below it (what the tree shows). */
  totalCount: number;
  children: DepartmentNode[];
}

/**
 * WeCom member status (user/get `status`, https://developer.work.weixin.qq.com/document/path/90196): 1 activated, 2
 * disabled, 4 not yet activated (invited, has not joined WeCom yet), 5 quit. The mirror keeps only 1 and 4 as active
 * members.
 */
export type WecomMemberStatus = 1 | 2 | 4 | 5;
export const WECOM_STATUS_NOT_ACTIVATED = 4;

/** GET /api/org/members?department=ID, or ?q=text (search: `department` is then null). */
export interface MemberSummary {
  userid: string;
  name: string;
  position: string | null;
  isLeader: boolean;
  mainDepartment: number | null;
  departments: DepartmentRef[];
  roles: RoleKey[];
  /** WeCom's status; 4 = 未激活 (invited, not yet joined). */
  wecomStatus: number;
}

export interface MembersResponse {
  department: DepartmentRef | null;
  members: MemberSummary[];
}

/** GET /api/org/tags: the WeCom tags the app can see, for the role-binding picker. */
export interface TagSummary {
  id: number;
  name: string;
  /** Members tagged directly. */
  userCount: number;
  /** Departments tagged (their members carry the tag too). */
  departmentCount: number;
}
export interface TagsResponse {
  tags: TagSummary[];
}

// ---- Roles (角色与权限) ----

export type BindingSubjectType = 'department' | 'tag' | 'user';

/** One role binding as GET /api/roles and POST /api/roles/bindings answer it. */
export interface RoleBindingView {
  id: number;
  role: RoleKey;
  subjectType: BindingSubjectType;
  subjectId: string;
  /** Department name, tag name or member name from the mirror; null when it was never synced. */
  subjectName: string | null;
  /** false when the department was deleted, the tag removed or the member left WeCom: the binding grants nothing. */
  subjectExists: boolean;
  createdBy: string;
  /** Name of the member who created it; null for 'system' (demo seed, migrations). */
  createdByName: string | null;
  createdAt: number;
  /** The shops the role applies to through this binding. */
  shops: ShopScope;
}

/** GET /api/roles */
export interface RolesResponse {
  roles: RoleDefinition[];
  bindings: RoleBindingView[];
}

/** POST /api/roles/bindings (201 → RoleBindingView) */
export interface CreateBindingRequest {
  role: RoleKey;
  subjectType: BindingSubjectType;
  /** Department id, tag id (number or digits) or member userid, exactly as synced: nothing is trimmed. */
  subjectId: string | number;
}

/** Why a member has a role: a binding (on their department or an ancestor, a tag, or themselves) or ADMIN_USERIDS. */
export type RoleGrantSource =
  { kind: 'admin' } | { kind: 'binding'; bindingId: number; subjectType: BindingSubjectType; subjectId: string; subjectName: string | null };

export interface RoleGrant {
  role: RoleKey;
  sources: RoleGrantSource[];
}

/** One active member with their effective roles and where each comes from. */
export interface MemberRoles {
  userid: string;
  name: string;
  position: string | null;
  wecomStatus: number;
  departments: DepartmentRef[];
  roles: RoleKey[];
  /** Same order as `roles`. */
  grants: RoleGrant[];
}

/** GET /api/roles/members: every active member (with or without roles), by name. */
export interface RoleMembersResponse {
  members: MemberRoles[];
}

// ---- Audit log (操作日志) ----

/** One audit entry as GET /api/audit answers it. */
export interface AuditEntryView {
  id: number;
  at: number;
  /** userid, or 'system' / 'wecom' for work the server does on its own. */
  actor: string;
  /** The actor's name from the mirror; null for 'system', 'wecom' and ids never synced. */
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** The target's name when known: member, department, tag, or the subject a role binding names. */
  targetName: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/**
 * Filters of GET /api/audit and GET /api/audit/export (query string). `from` ≤ at < `to`, epoch ms.
 * Paging: newest first; pass the previous answer's `nextBefore` as `before` for the next page.
 */
export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: number;
  to?: number;
  before?: number;
  /** 1–200, default 50 (list only). */
  limit?: number;
}

/** GET /api/audit */
export interface AuditListResponse {
  entries: AuditEntryView[];
  /** Cursor for the next (older) page, or null when this was the last one. */
  nextBefore: number | null;
}

/** GET /api/audit/export answers at most this many rows (newest first); X-Export-Truncated: 1 says more matched. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

// ---- Contact sync (通讯录同步) ----

/**
 * running: executing now (its lease is held); interrupted: stopped midway (a restart or a WeCom
 * error), the next run resumes it; done; failed: ended for good (a configuration error).
 */
export type SyncRunState = 'running' | 'interrupted' | 'done' | 'failed';

export interface SyncRunView {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  state: SyncRunState;
  /** What started it: 'start', 'nightly', 'api:<userid>', 'demo-start', 'cli' … */
  trigger: string;
  /** The member who pressed 立即同步 (trigger 'api:<userid>'), else null. */
  triggeredBy: { userid: string; name: string | null } | null;
  /** finishedAt − startedAt; while running, time so far; null when interrupted. */
  durationMs: number | null;
  /** Departments done of total (member phase), while running or interrupted. */
  progress: { done: number; total: number } | null;
  stats: Record<string, number> | null;
  error: string | null;
}

/** GET /api/org/sync */
export interface SyncStatusResponse {
  /** A run is executing right now (POST answers 409 sync_running). */
  running: boolean;
  /** Newest first, at most 20. */
  runs: SyncRunView[];
  lastSuccessAt: number | null;
}

/** POST /api/org/sync → 202 */
export interface SyncStartResponse {
  started: true;
}

// ---- Admin counters on the home page ----

/**
 * GET /api/admin/summary?since=<epoch ms of the member's local midnight>: the counters of the home
 * page's 管理 section. Each part is present only for members with its permission.
 */
export interface AdminSummary {
  /** org:manage_roles */
  roles?: { bindings: number; orphaned: number };
  /** audit:read: entries at or after `since`. */
  audit?: { since: number; count: number };
  /** contacts:sync */
  sync?: { running: boolean; last: SyncRunView | null; lastSuccessAt: number | null };
}

/**
 * One counter of the home page's "我的工作", contributed by a module (`homeCounters` in its
 * server/src/modules/<name>/index.ts): what waits for the member, e.g. orders to claim.
 */
export interface HomeCounter {
  /** Unique across modules: `<module>.<counter>`, e.g. `orders.unclaimed`. */
  key: string;
  /** The module that contributes it. */
  module: string;
  /** What waits for this member (their shops only). */
  count: number;
  /** The H5 path the counter opens (e.g. `/orders?tab=unclaimed`), or null for a counter only. */
  link: string | null;
  /** i18n key of its title, resolved by the H5 (the module's own locale messages). */
  labelKey: string;
  /** i18n key of the line shown when the count is 0. */
  emptyKey?: string;
  /** Only members with this permission (in any shop) get the counter. */
  permission: Permission;
  /** Vant icon name. */
  icon?: string;
  /** `#rrggbb` of the icon (its tint behind it) and of a non-zero count. */
  color?: string;
}

/** GET /api/home: the counters the member's permissions allow, in module order (empty when no module contributes one). */
export interface HomeResponse {
  counters: HomeCounter[];
}

/** GET /api/wecom/jssdk-config?url=… */
export interface JssdkSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}
export interface JssdkConfigResponse {
  corpId: string;
  agentId: string;
  url: string;
  config: JssdkSignature;
  agentConfig: JssdkSignature;
}

/** Sign-in failure reasons shown on the H5 page /signin-error?reason=… */
export const SIGNIN_ERRORS = ['not_member', 'deactivated', 'not_configured', 'bad_state', 'bad_code', 'wecom_error'] as const;
export type SigninError = (typeof SIGNIN_ERRORS)[number];
