import type { RoleGrantSource } from '@shopcrew/shared';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** "部门 客服部", "标签 客服组长", "成员（直接授权）" or "管理员配置": where a member's role comes from. */
export function sourceLabel(source: RoleGrantSource, t: Translate): string {
  if (source.kind === 'admin') return t('settings.roles.adminShort');
  return `${t(`settings.roles.subjectTypes.${source.subjectType}`)} ${source.subjectName ?? source.subjectId}`;
}
