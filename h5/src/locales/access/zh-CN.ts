import { ROLES, ROLE_KEYS, type Permission, type RoleKey } from '@shopcrew/shared';

/** Role names as the shared table has them (the server's own labels). */
const roles = Object.fromEntries(ROLE_KEYS.map((key) => [key, ROLES[key].name])) as Record<RoleKey, string>;

const permission: Record<Permission, string> = {
  'org:read': '查看组织架构',
  'org:manage_roles': '管理成员角色',
  'contacts:sync': '同步企业微信通讯录',
  'audit:read': '查看操作日志',
  'orders:read': '查看订单',
  'orders:claim': '认领订单',
  'orders:assign': '分配订单',
  'orders:details': '查看订单金额与买家',
  'aftersales:read': '查看售后',
  'aftersales:handle': '处理售后',
  'aftersales:approve_refund': '审批退款',
  'sop:read': '查看 SOP',
  'sop:run': '执行 SOP 清单',
  'sop:manage': '管理 SOP 模板',
  'projects:read': '查看项目',
  'projects:manage': '管理项目',
  'metrics:read': '查看数据看板',
  'automation:manage': '管理预警与自动化',
  'notifications:manage': '管理通知群与机器人',
  'marketing:read': '查看广告与营销数据',
  'finance:read': '查看财务与结算',
  'settings:manage': '管理系统设置',
};

/** Role names and permission labels, by the keys of the shared table (shared/src/auth/roles.ts). zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const access = {
  roles,
  permission,
};

export type AccessMessages = typeof access;
export default access;
