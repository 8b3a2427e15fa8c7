import type { AccessMessages } from './zh-CN';

/** Role names and permission labels, by the keys of the shared table (shared/src/auth/roles.ts). English. */
const access: AccessMessages = {
  roles: {
    owner: 'Store owner',
    ops_manager: 'Operations manager',
    cs_lead: 'CS lead',
    cs_agent: 'Customer service',
    warehouse: 'Warehouse',
    marketing: 'Advertising',
    finance: 'Finance',
    designer: 'Designer',
  },
  permission: {
    'org:read': 'View the organisation',
    'org:manage_roles': 'Manage member roles',
    'contacts:sync': 'Sync WeCom contacts',
    'audit:read': 'View the audit log',
    'orders:read': 'View orders',
    'orders:claim': 'Claim orders',
    'orders:assign': 'Assign orders',
    'orders:details': 'See order amounts and buyers',
    'aftersales:read': 'View after-sales',
    'aftersales:handle': 'Handle after-sales',
    'aftersales:approve_refund': 'Approve refunds',
    'sop:read': 'View SOPs',
    'sop:run': 'Run SOP checklists',
    'sop:manage': 'Manage SOP templates',
    'projects:read': 'View projects',
    'projects:manage': 'Manage projects',
    'metrics:read': 'View dashboards',
    'automation:manage': 'Manage alerts and automation',
    'notifications:manage': 'Manage notification groups and bots',
    'marketing:read': 'View advertising and marketing data',
    'finance:read': 'View finance and settlements',
    'settings:manage': 'Manage settings',
  },
};

export default access;
