/**
 * Built-in roles and the role → permission table. Server and H5 both import this file,
 * so a button the H5 hides is exactly a route the server refuses.
 * Least privilege (最小权限): each role gets only what its seat in a seller team needs.
 */
export const PERMISSIONS = [
  'org:read',
  'org:manage_roles',
  'contacts:sync',
  'audit:read',
  'orders:read',
  'orders:claim',
  'orders:assign',
  'orders:details',
  'aftersales:read',
  'aftersales:handle',
  'aftersales:approve_refund',
  'sop:read',
  'sop:run',
  'sop:manage',
  'projects:read',
  'projects:manage',
  'metrics:read',
  'automation:manage',
  'notifications:manage',
  'marketing:read',
  'finance:read',
  'settings:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_KEYS = ['owner', 'ops_manager', 'cs_lead', 'cs_agent', 'warehouse', 'marketing', 'finance', 'designer'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

export interface RoleDefinition {
  key: RoleKey;
  /** zh-CN display name; the H5 translates by key for other locales. */
  name: string;
  permissions: readonly Permission[];
}

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLES: Readonly<Record<RoleKey, RoleDefinition>> = {
  owner: { key: 'owner', name: '店长', permissions: ALL },
  ops_manager: {
    key: 'ops_manager',
    name: '运营总监',
    permissions: [
      'org:read',
      'contacts:sync',
      'audit:read',
      'orders:read',
      'orders:claim',
      'orders:assign',
      'orders:details',
      'aftersales:read',
      'aftersales:handle',
      'sop:read',
      'sop:run',
      'sop:manage',
      'projects:read',
      'projects:manage',
      'metrics:read',
      'automation:manage',
      'notifications:manage',
      'marketing:read',
      'finance:read',
    ],
  },
  cs_lead: {
    key: 'cs_lead',
    name: '客服组长',
    permissions: [
      'org:read',
      'orders:read',
      'orders:claim',
      'orders:assign',
      'orders:details',
      'aftersales:read',
      'aftersales:handle',
      'aftersales:approve_refund',
      'sop:read',
      'sop:run',
      'sop:manage',
      'projects:read',
      'metrics:read',
    ],
  },
  cs_agent: {
    key: 'cs_agent',
    name: '客服',
    permissions: ['org:read', 'orders:read', 'orders:claim', 'orders:details', 'aftersales:read', 'aftersales:handle', 'sop:read', 'sop:run', 'projects:read'],
  },
  warehouse: {
    key: 'warehouse',
    name: '仓储',
    permissions: ['org:read', 'orders:read', 'orders:claim', 'aftersales:read', 'sop:read', 'sop:run', 'projects:read'],
  },
  marketing: { key: 'marketing', name: '广告', permissions: ['org:read', 'marketing:read', 'sop:read', 'sop:run', 'projects:read'] },
  finance: {
    key: 'finance',
    name: '财务',
    permissions: ['org:read', 'audit:read', 'finance:read', 'aftersales:read', 'aftersales:approve_refund', 'projects:read', 'metrics:read'],
  },
  designer: { key: 'designer', name: '美工', permissions: ['org:read', 'sop:read', 'sop:run', 'projects:read'] },
};

export function isRoleKey(value: string): value is RoleKey {
  return (ROLE_KEYS as readonly string[]).includes(value);
}

/** Union of the permissions of the given roles, in the canonical PERMISSIONS order. */
export function permissionsOf(roles: readonly RoleKey[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) for (const p of ROLES[role].permissions) granted.add(p);
  return PERMISSIONS.filter((p) => granted.has(p));
}
