import type { Permission, RoleKey } from '../auth/roles';

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
  /** true when the server runs against the bundled demo corp (no WECOM_CORP_ID configured). */
  demo: boolean;
}

/** GET /api/org/departments: the department tree. */
export interface DepartmentNode {
  id: number;
  name: string;
  parentId: number | null;
  order: number;
  memberCount: number;
  children: DepartmentNode[];
}

/** GET /api/org/members?department=ID */
export interface MemberSummary {
  userid: string;
  name: string;
  position: string | null;
  isLeader: boolean;
  mainDepartment: number | null;
  departments: DepartmentRef[];
  roles: RoleKey[];
}

export interface MembersResponse {
  department: DepartmentRef | null;
  members: MemberSummary[];
}

/** GET /api/home: counts of what needs the signed-in member. */
export interface HomeSummary {
  orders: { unclaimed: number; mine: number };
  aftersales: { open: number; dueSoon: number };
  checklists: { open: number };
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
