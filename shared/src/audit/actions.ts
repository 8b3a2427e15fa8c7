/**
 * The audit actions the server records (grep `action:` in server/src) with their zh-CN labels. The
 * server writes them in the CSV export; the H5 takes the zh-CN labels from here (locales/zh-CN.ts) and
 * translates by key for other locales. An action missing here is shown as its code.
 */
export const AUDIT_ACTIONS = {
  'auth.sign_in': '登录',
  'auth.sign_out': '退出登录',
  'role.bind': '授权',
  'role.unbind': '取消授权',
  'role.rescope': '调整授权店铺',
  'role.follow_rename': '授权随账号变更',
  'contact.sync': '通讯录同步',
  'contact.sync_failed': '通讯录同步失败',
  'contact.deactivate': '停用成员（同步）',
  'contact.create_user': '新增成员',
  'contact.update_user': '更新成员',
  'contact.delete_user': '删除成员',
  'contact.create_party': '新增部门',
  'contact.update_party': '更新部门',
  'contact.delete_party': '删除部门',
  'contact.update_tag': '更新标签',
  'audit.export': '导出操作日志',
  'sop.template_created': '新建清单模板',
  'sop.template_published': '发布清单新版本',
  'sop.rule_created': '新建清单规则',
  'sop.rule_updated': '修改清单规则',
  'sop.rule_deleted': '删除清单规则',
  'sop.run_started': '发起清单',
  'sop.step_ticked': '勾选清单步骤',
  'sop.handover': '离职交接',
  'orders.handed_over': '订单交接',
  'aftersales.case_handed_over': '售后交接',
  'projects.created': '新建项目',
  'projects.state': '项目状态变更',
  'metrics.alert_created': '新建预警线',
  'metrics.alert_updated': '修改预警线',
  'metrics.alert_deleted': '删除预警线',
  'metrics.target_set': '设置目标',
  'metrics.target_deleted': '删除目标',
  'automation.rule_created': '新建自动化规则',
  'automation.rule_updated': '修改自动化规则',
  'automation.rule_enabled': '启用自动化规则',
  'automation.rule_disabled': '停用自动化规则',
  'automation.rule_deleted': '删除自动化规则',
  'orders.tagged': '订单打标签',
  'aftersales.case_tagged': '售后工单打标签',
  'data.export': '导出数据',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** What an audit entry's target_type names, with zh-CN labels. */
export const AUDIT_TARGET_TYPES = {
  member: '成员',
  department: '部门',
  tag: '标签',
  role_binding: '授权',
  sync_run: '同步任务',
  audit_log: '操作日志',
  sop_template: '清单模板',
  sop_rule: '清单规则',
  sop_run: '清单',
  order: '订单',
  case: '售后工单',
  project: '项目',
  metric_alert: '预警线',
  metric_target: '目标',
  export: '导出',
  automation_rule: '自动化规则',
} as const;
export type AuditTargetType = keyof typeof AUDIT_TARGET_TYPES;

/** Actors that are not members. */
export const SYSTEM_ACTORS = { system: '系统', wecom: '企业微信', automation: '自动化规则' } as const;

export function isAuditAction(value: string): value is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, value);
}
export function isAuditTargetType(value: string): value is AuditTargetType {
  return Object.prototype.hasOwnProperty.call(AUDIT_TARGET_TYPES, value);
}
export function isSystemActor(value: string): value is keyof typeof SYSTEM_ACTORS {
  return Object.prototype.hasOwnProperty.call(SYSTEM_ACTORS, value);
}
