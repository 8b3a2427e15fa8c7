import { isRoleKey, type AppChatView, type NotificationChannel, type NotificationRuleView, type RobotView } from '@shopcrew/shared';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** van-tag type of each channel's badge. */
export const CHANNEL_TAGS: Record<NotificationChannel, 'primary' | 'success' | 'warning'> = {
  app: 'primary',
  robot: 'success',
  appchat: 'warning',
};

type ChatLookup = (chatid: string | null) => AppChatView | undefined;

/**
 * A delivery target (`user:<userid>`, `robot:<id>`, `chat:<chatid>`) as 成员 chenjing, A店-客服-新单 (the robot's or
 * chat's name; the chatid when the chat is not known): shown next to the channel's badge.
 */
export function targetLabel(target: string, t: Translate, robotById?: (id: number) => RobotView | undefined, chatByChatid?: ChatLookup): string {
  const colon = target.indexOf(':');
  const kind = target.slice(0, colon);
  const id = target.slice(colon + 1);
  if (kind === 'user') return t('notifications.rule.targets.user', { id });
  if (kind === 'robot') return robotById?.(Number(id))?.name ?? `#${id}`;
  return kind === 'chat' ? (chatByChatid?.(id)?.name ?? id) : target;
}

/** Where a rule sends, in one line: 店长、客服 · 2 个部门 · 1 名成员 / 发到 A店-客服-新单 / 发到群聊 星河电商-客服-新人 */
export function ruleTargetSummary(
  rule: NotificationRuleView,
  t: Translate,
  robotById: (id: number | null) => RobotView | undefined,
  chatByChatid?: ChatLookup,
): string {
  if (rule.channel === 'robot') {
    const robot = robotById(rule.robotId);
    return robot ? t('notifications.list.robot', { name: robot.name }) : t('notifications.list.robotMissing');
  }
  if (rule.channel === 'appchat') return t('notifications.list.chat', { chat: chatByChatid?.(rule.chatId)?.name ?? rule.chatId ?? '' });
  const r = rule.recipients ?? {};
  const parts: string[] = [];
  const names = [
    ...(r.roles ?? []).map((role) => (isRoleKey(role) ? t(`roles.${role}`) : role)),
    ...(r.people ?? []).map((p) => t(`notifications.rule.peopleNames.${p}`)),
  ];
  if (names.length) parts.push(names.join(t('punctuation.listSeparator')));
  if (r.departments?.length) parts.push(t('notifications.list.departments', { n: r.departments.length }));
  if (r.tags?.length) parts.push(t('notifications.list.tags', { n: r.tags.length }));
  if (r.users?.length) parts.push(t('notifications.list.users', { n: r.users.length }));
  return parts.length ? parts.join(' · ') : t('notifications.list.noRecipients');
}
