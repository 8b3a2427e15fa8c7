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
    sop: {
      template_created: 'Checklist template created',
      template_published: 'Checklist version published',
      rule_created: 'Checklist rule created',
      rule_updated: 'Checklist rule changed',
      rule_deleted: 'Checklist rule deleted',
      run_started: 'Checklist started',
      step_ticked: 'Checklist step ticked',
      handover: 'Leaver handover',
    },
    orders: { handed_over: 'Order handed over' },
    aftersales: { case_handed_over: 'Case handed over' },
    projects: { created: 'Project created', state: 'Project state changed' },
    metrics: {
      alert_created: 'Alert line created',
      alert_updated: 'Alert line changed',
      alert_deleted: 'Alert line deleted',
      target_set: 'Target set',
      target_deleted: 'Target deleted',
    },
    data: { export: 'Data exported' },
  },
  auditTargets: {
    member: 'Member',
    department: 'Department',
    tag: 'Tag',
    role_binding: 'Role grant',
    sync_run: 'Sync run',
    audit_log: 'Audit log',
    sop_template: 'Checklist template',
    sop_rule: 'Checklist rule',
    sop_run: 'Checklist',
    order: 'Order',
    case: 'After-sales case',
    project: 'Project',
    metric_alert: 'Alert line',
    metric_target: 'Target',
    export: 'Export',
  },
};

export default audit;
