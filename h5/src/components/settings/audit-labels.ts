import { isAuditAction, isAuditTargetType, isRoleKey, isSystemActor, type AuditEntryView } from '@shopcrew/shared';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** 授权, 登录 … (the code itself for an action this H5 does not know yet). */
export function actionLabel(action: string, t: Translate): string {
  return isAuditAction(action) ? t(`auditActions.${action}`) : action;
}

export function targetTypeLabel(type: string, t: Translate): string {
  return isAuditTargetType(type) ? t(`auditTargets.${type}`) : type;
}

/** The actor's name, 系统 / 企业微信, or the userid when the member was never synced. */
export function actorLabel(actor: string, actorName: string | null, t: Translate): string {
  if (actorName) return actorName;
  return isSystemActor(actor) ? t(`settings.audit.systemActors.${actor}`) : actor;
}

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
const num = (value: unknown) => (typeof value === 'number' ? value : 0);

/** One line saying what happened to what: "客服 → 部门 客服部", "部门 10 · 成员 21 · 停用 0", "成员 李娜". */
export function auditSummary(e: AuditEntryView, t: Translate): string {
  if (e.action === 'role.bind' || e.action === 'role.unbind') {
    const b = record(e.after ?? e.before);
    const role = typeof b.role === 'string' && isRoleKey(b.role) ? t(`roles.${b.role}`) : String(b.role ?? '');
    const type = typeof b.subjectType === 'string' ? t(`settings.roles.subjectTypes.${b.subjectType}`) : '';
    return t('settings.audit.summary.bind', { role, type, subject: e.targetName ?? String(b.subjectId ?? '') });
  }
  if (e.action === 'contact.sync') {
    const s = record(e.after);
    return t('settings.audit.summary.sync', { departments: num(s.departments), members: num(s.members), deactivated: num(s.deactivated) });
  }
  if (e.action === 'audit.export') return t('settings.audit.summary.export', { rows: num(record(e.after).rows) });
  if (e.targetId === null) return targetTypeLabel(e.targetType, t);
  if (e.targetType === 'member' && e.targetId === e.actor) return ''; // signed in / out: the actor is the target
  return t('settings.audit.target', { type: targetTypeLabel(e.targetType, t), name: e.targetName ?? e.targetId });
}
