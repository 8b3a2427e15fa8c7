import {
  EVIDENCE_TYPES,
  ROLE_KEYS,
  SOP_CATEGORIES,
  SOP_TRIGGERS,
  type OrderPerson,
  type RoleKey,
  type SopRunState,
  type SopStepState,
  type SopSubject,
  type StepAssigneeSpec,
} from '@shopcrew/shared';
import { i18n, t } from '@/locales';
import { statusLabel } from './orderText';
import { typeLabel } from './caseText';

/** The 清单 pages' words for what the SOP API returns, in the UI language; a value this H5 does not know yet as it is. */

const english = () => i18n.global.locale.value === 'en';
const known = (list: readonly string[], value: string) => list.includes(value);

/** 订单 / 售后 / 日常 / 大促 / 入职 / 离职 / 其他. */
export const categoryLabel = (category: string): string => (known(SOP_CATEGORIES, category) ? t(`sop.categories.${category}`) : category);

/** 订单状态 / 新售后工单 / 成员入职 / 成员离职或调岗 / 手动. */
export const triggerLabel = (trigger: string): string => (known(SOP_TRIGGERS, trigger) ? t(`sop.triggers.${trigger}`) : trigger);

/** 无 / 备注 / 照片 / 链接. */
export const evidenceLabel = (evidence: string): string => (known(EVIDENCE_TYPES, evidence) ? t(`sop.evidenceTypes.${evidence}`) : evidence);

export const runStateLabel = (state: SopRunState): string => t(`sop.runStates.${state}`);
export const stepStateLabel = (state: SopStepState): string => t(`sop.stepStates.${state}`);

/** 店长 / 客服 …: the role's name (ROLES' own in Chinese). */
export const roleLabel = (role: string): string => (known(ROLE_KEYS, role) ? t(`roles.${role}`) : role);

/** Who does a step or the next one: the member, else 「客服」角色; 未指定 when neither. */
export function doerLabel(step: { assignee: OrderPerson | null; role: RoleKey | null }): string {
  if (step.assignee) return step.assignee.name;
  if (step.role) return t('sop.run.roleDoer', { role: roleLabel(step.role) });
  return t('sop.run.noDoer');
}

/** A template step's 执行人 as the editor lists it: 角色：客服, 负责人, 上级, 指定成员：张三. */
export function specLabel(spec: StepAssigneeSpec, names: Readonly<Record<string, string>> = {}): string {
  if (spec.kind === 'role') return `${t('sop.assigneeKinds.role')}${t('punctuation.colon')}${roleLabel(spec.role)}`;
  if (spec.kind === 'member') return `${t('sop.assigneeKinds.member')}${t('punctuation.colon')}${names[spec.userid] ?? spec.userid}`;
  return t(`sop.assigneeKinds.${spec.kind}`);
}

/** What a run is about: the server's label in Chinese (订单 250101ABC, 售后 #42, 成员 张三), built from its type in English. */
export function subjectLabel(subject: SopSubject | null): string {
  if (!subject) return t('sop.list.noSubject');
  if (!english()) return subject.label;
  if (subject.type === 'member') return t('sop.subjects.member', { name: subject.label.replace(/^成员\s*/, '') || subject.id });
  return t(`sop.subjects.${subject.type}`, { id: subject.id });
}

/** A subject named only by its type and id (the list's filter): 订单 250101ABC, 售后 #42, 成员 zhangsan. */
export const subjectRefLabel = (subject: { type: SopSubject['type']; id: string }): string =>
  t(`sop.subjects.${subject.type}`, { id: subject.id, name: subject.id });

/** A rule's conditions in one line: 订单状态 · 待发货 · 星河旗舰店. */
export function ruleConditions(
  rule: { trigger: string; orderStatus: string | null; caseType: string | null; shopId: string | null },
  shopName: (shopId: string) => string,
): string {
  const parts = [triggerLabel(rule.trigger)];
  if (rule.trigger === 'order_status') parts.push(rule.orderStatus ? statusLabel(rule.orderStatus) : t('sop.rules.anyStatus'));
  if (rule.trigger === 'case_opened') parts.push(rule.caseType ? typeLabel(rule.caseType) : t('sop.rules.anyType'));
  if (rule.trigger === 'order_status' || rule.trigger === 'case_opened') parts.push(rule.shopId ? shopName(rule.shopId) : t('sop.rules.anyShop'));
  return parts.join(' · ');
}
