import type { EventPerson, NotificationChannel, NotificationFormat, NotificationRuleInput, NotificationRuleView } from '@shopcrew/shared';
import type { ApiError } from '@/api/http';
import { splitBilingual } from './bilingual';

/** The rule editor's fields (strings where the member types, lists where they pick). */
export interface RuleForm {
  name: string;
  eventType: string;
  shopId: string;
  condition: string;
  channel: NotificationChannel;
  format: NotificationFormat;
  recipients: RecipientDraft;
  robotId: number | null;
  chatId: string;
  template: string;
  enabled: boolean;
}

export interface RecipientDraft {
  roles: string[];
  departments: number[];
  tags: number[];
  users: string[];
  people: EventPerson[];
}

/** The fields a save error can concern (shown next to that field). */
export type RuleField = 'name' | 'eventType' | 'shopId' | 'condition' | 'channel' | 'format' | 'recipients' | 'robotId' | 'chatId' | 'template';

export const CHANNELS: readonly NotificationChannel[] = ['app', 'robot', 'appchat'];
/** What the editor offers; a rule saved with another format (textcard) keeps it. */
export const EDITOR_FORMATS: readonly NotificationFormat[] = ['text', 'markdown'];
/** App messages may also be approval-style cards (their buttons come from the event's module, or 我来处理). */
export const APP_FORMATS: readonly NotificationFormat[] = [...EDITOR_FORMATS, 'card'];
export const EVENT_PEOPLE: readonly EventPerson[] = ['actor', 'assignee', 'lead_of_assignee'];

export function emptyRecipients(): RecipientDraft {
  return { roles: [], departments: [], tags: [], users: [], people: [] };
}

export function newRuleForm(): RuleForm {
  return {
    name: '',
    eventType: '',
    shopId: '',
    condition: '',
    channel: 'app',
    format: 'text',
    recipients: emptyRecipients(),
    robotId: null,
    chatId: '',
    template: '',
    enabled: true,
  };
}

export function formFromRule(rule: NotificationRuleView): RuleForm {
  const r = rule.recipients ?? {};
  return {
    name: rule.name,
    eventType: rule.eventType,
    shopId: rule.shopId ?? '',
    condition: rule.condition ?? '',
    channel: rule.channel,
    format: rule.format,
    recipients: {
      roles: [...(r.roles ?? [])],
      departments: [...(r.departments ?? [])],
      tags: [...(r.tags ?? [])],
      users: [...(r.users ?? [])],
      people: [...(r.people ?? [])],
    },
    robotId: rule.robotId,
    chatId: rule.chatId ?? '',
    template: rule.template,
    enabled: rule.enabled,
  };
}

/** The POST/PUT body: only the channel's own target (recipients, robot or chat), blanks as null. */
export function inputFromForm(form: RuleForm): NotificationRuleInput {
  const r = form.recipients;
  const recipients = Object.fromEntries(Object.entries(r).filter(([, list]) => (list as unknown[]).length)) as Partial<RecipientDraft>;
  return {
    name: form.name.trim(),
    eventType: form.eventType,
    shopId: form.shopId.trim() || null,
    condition: form.condition.trim() || null,
    channel: form.channel,
    format: form.format,
    ...(form.channel === 'app' ? { recipients } : {}),
    robotId: form.channel === 'robot' ? form.robotId : null,
    chatId: form.channel === 'appchat' ? form.chatId.trim() || null : null,
    template: form.template,
    enabled: form.enabled,
  };
}

/** Whether the form differs from `rule` as saved. */
export function formChanged(form: RuleForm, rule: NotificationRuleView | undefined): boolean {
  if (!rule) return true;
  return JSON.stringify(inputFromForm(form)) !== JSON.stringify(inputFromForm(formFromRule(rule)));
}

const BY_CODE: Record<string, RuleField> = {
  unknown_event: 'eventType',
  unknown_placeholder: 'template',
  invalid_template: 'template',
  unknown_field: 'condition',
  invalid_condition: 'condition',
  unknown_recipient: 'recipients',
  unknown_robot: 'robotId',
  unknown_chat: 'chatId',
  card_not_available: 'format',
};
const FIELDS = new Set<string>(['name', 'eventType', 'shopId', 'condition', 'channel', 'format', 'recipients', 'robotId', 'chatId', 'template']);

/**
 * Which field a 422 from saving a rule is about: by its code, else (validation_failed) by the path of the
 * first schema issue, else by what the message says; null when it is about no one field.
 */
export function fieldOfError(error: ApiError): RuleField | null {
  if (error.status !== 422) return null;
  const byCode = BY_CODE[error.code];
  if (byCode) return byCode;
  if (Array.isArray(error.details)) {
    const path = (error.details[0] as { path?: unknown[] } | undefined)?.path;
    const first = Array.isArray(path) ? String(path[0]) : '';
    if (FIELDS.has(first)) return first as RuleField;
  }
  const en = splitBilingual(error.message)?.en ?? error.message;
  if (/recipient/i.test(en)) return 'recipients';
  if (/chatid/i.test(en)) return 'chatId';
  if (/text or markdown/i.test(en)) return 'format';
  if (/name is required/i.test(en)) return 'name';
  return null;
}
