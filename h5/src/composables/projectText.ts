import { ACTIVITY_KINDS, PRIORITIES, PROJECT_STATES, SEARCH_KINDS, TASK_STATES, type ActivityEntry, type OrderPerson, type TaskLink } from '@shopcrew/shared';
import { i18n, t } from '@/locales';
import { roleLabel } from './sopText';

/** The 项目 pages' words for what the projects API returns, in the UI language; a value this H5 does not know yet as it is. */

const english = () => i18n.global.locale.value === 'en';
const known = (list: readonly string[], value: string) => list.includes(value);

/** 筹备中 / 进行中 / 已完成 / 已取消. */
export const projectStateLabel = (state: string): string => (known(PROJECT_STATES, state) ? t(`projects.states.${state}`) : state);

/** 待开始 / 进行中 / 待验收 / 已完成. */
export const taskStateLabel = (state: string): string => (known(TASK_STATES, state) ? t(`projects.taskStates.${state}`) : state);

/** P0 紧急 … P3 低 (the picker; a tag shows the code alone). */
export const priorityLabel = (priority: string): string => (known(PRIORITIES, priority) ? t(`projects.priorities.${priority}`) : priority);

export const searchKindLabel = (kind: string): string => (known(SEARCH_KINDS, kind) ? t(`projects.search.kinds.${kind}`) : kind);

export const personName = (person: OrderPerson | null): string => person?.name ?? t('projects.noOwner');

/** 3 天. */
export const daysLabel = (n: number): string => t('projects.days', { n }, n);

/** A template task's suggested role: 建议 运营. */
export const roleHint = (role: string | null): string => (role ? t('projects.create.role', { role: roleLabel(role) }) : '');

/** 订单 250101ABC, 售后 #12, 清单 #3: the server's label in Chinese, built from its type in English. */
export const linkLabel = (link: TaskLink): string =>
  english() ? t(`projects.links.${link.type}`, { id: link.id }) : link.label || t(`projects.links.${link.type}`, { id: link.id });

/** Where a task's link goes: the order, the case, the checklist. */
export function linkRoute(link: Pick<TaskLink, 'type' | 'id'>): { name: string; params: Record<string, string> } {
  if (link.type === 'order') return { name: 'order', params: { orderSn: link.id } };
  if (link.type === 'case') return { name: 'case', params: { id: link.id } };
  return { name: 'checklist', params: { id: link.id } };
}

/**
 * One history line: the server's sentence in Chinese (王芳 把负责人从 李娜 改为 赵磊); in English the kind, the field and
 * its values.
 */
export function activityText(entry: ActivityEntry): string {
  if (!english() && entry.text) return entry.text;
  const kind = known(ACTIVITY_KINDS, entry.kind) ? t(`projects.history.kinds.${entry.kind}`) : entry.kind;
  const change = entry.from !== null || entry.to !== null ? `${entry.from ?? '—'} → ${entry.to ?? '—'}` : '';
  return [kind, entry.field ?? '', change].filter(Boolean).join(' · ') || entry.text;
}
