import type { AuditMessages } from './zh-CN';

/** Audit action and target labels, by the keys of the shared table (shared/src/audit/actions.ts). English. */
const audit: AuditMessages = {
  auditActions: {
    auth: { sign_in: 'Sign in', sign_out: 'Sign out' },
    role: { bind: 'Grant role', unbind: 'Revoke role', rescope: 'Change role shops', follow_rename: 'Grants follow a renamed account' },
    contact: {
      sync: 'Contact sync',
      sync_failed: 'Contact sync failed',
      deactivate: 'Deactivate member (sync)',
      create_user: 'Member added',
      update_user: 'Member updated',
      delete_user: 'Member removed',
      create_party: 'Department added',
      update_party: 'Department updated',
      delete_party: 'Department removed',
      update_tag: 'Tag updated',
    },
    audit: { export: 'Export audit log' },
  },
  auditTargets: {
    member: 'Member',
    department: 'Department',
    tag: 'Tag',
    role_binding: 'Role grant',
    sync_run: 'Sync run',
    audit_log: 'Audit log',
  },
};

export default audit;
