import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, type AuditAction, type AuditTargetType } from '@shopcrew/shared';

/**
 * Audit action and target labels come from the shared table the CSV export uses too. Actions are
 * `group.name` and vue-i18n reads dots in a key as a path, so they are nested: t('auditActions.role.bind').
 */
type ActionGroup<K> = K extends `${infer G}.${string}` ? G : never;
type ActionName<K, G extends string> = K extends `${G}.${infer N}` ? N : never;
export type AuditActionMessages = { [G in ActionGroup<AuditAction>]: Record<ActionName<AuditAction, G>, string> };
const auditActions = {} as AuditActionMessages;
for (const [action, label] of Object.entries(AUDIT_ACTIONS)) {
  const [group, name] = action.split('.') as [string, string];
  ((auditActions as unknown as Record<string, Record<string, string>>)[group] ??= {})[name] = label;
}
const auditTargets: Record<AuditTargetType, string> = { ...AUDIT_TARGET_TYPES };

/** Audit action and target labels, by the keys of the shared table (shared/src/audit/actions.ts). zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const audit = {
  auditActions,
  auditTargets,
};

export type AuditMessages = typeof audit;
export default audit;
