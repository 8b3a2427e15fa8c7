/** The notifications API (server/src/modules/notifications/notification.routes.ts), shared by server and H5. */

export type NotificationChannel = 'app' | 'robot' | 'appchat';
export type NotificationFormat = 'text' | 'markdown' | 'textcard' | 'card';
export type EventPerson = 'assignee' | 'lead_of_assignee' | 'actor';
export type DeliveryStatus = 'pending' | 'sent' | 'merged' | 'dead';

export interface NotificationRecipients {
  roles?: string[];
  departments?: number[];
  tags?: number[];
  users?: string[];
  people?: EventPerson[];
  /** Members holding one of these permissions in the event's shop (e.g. orders:claim: whoever may claim there). */
  permissions?: string[];
}

/** GET /api/notifications/rules → {rules}; POST → 201 this; PUT /:id → this. */
export interface NotificationRuleView {
  id: number;
  name: string;
  eventType: string;
  /** The event's zh-CN label (null when the event type is no longer declared). */
  eventLabel: string | null;
  shopId: string | null;
  condition: string | null;
  channel: NotificationChannel;
  format: NotificationFormat;
  recipients: NotificationRecipients | null;
  robotId: number | null;
  chatId: string | null;
  template: string;
  enabled: boolean;
  updatedAt: number;
}

/** POST/PUT body. `template` omitted: the default template of the event type. */
export interface NotificationRuleInput {
  name: string;
  eventType: string;
  shopId?: string | null;
  condition?: string | null;
  channel: NotificationChannel;
  format?: NotificationFormat;
  recipients?: NotificationRecipients;
  robotId?: number | null;
  chatId?: string | null;
  template?: string;
  enabled?: boolean;
}

export interface EventFieldView {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'string[]' | 'time';
  optional?: boolean;
  example?: unknown;
}

/** GET /api/notifications/events. */
export interface NotificationEventsResponse {
  events: Array<{ type: string; label: string; fields: EventFieldView[] }>;
  templates: Array<{ key: string; label: string; labelEn: string; eventTypes: string[]; text: string }>;
  /** 店名-部门-用途 */
  groupNameHint: string;
}

/** GET /api/notifications/robots → {robots}; POST {name, webhookUrl} → 201 this. The key is never returned whole. */
export interface RobotView {
  id: number;
  name: string;
  keyHint: string;
  createdBy: string;
  createdAt: number;
}

/**
 * GET /api/notifications/chats → {chats}; POST {name, owner, members, chatid?} → 201 this; DELETE /:id → 204.
 * An app group chat (应用群聊) the app created through WeCom's appchat/create; members as they were at creation.
 */
export interface AppChatView {
  id: number;
  /** WeCom's chatid ([0-9a-zA-Z]{1,32}): what a rule with channel `appchat` names. */
  chatid: string;
  /** 店名-部门-用途 */
  name: string;
  /** The owner's userid (群主). */
  owner: string;
  /** The owner's name in the address book (null when no longer there). */
  ownerName: string | null;
  /** The members' userids, the owner among them. */
  members: string[];
  createdBy: string;
  createdAt: number;
}

/** POST /api/notifications/chats body. `chatid` omitted: WeCom picks one. */
export interface AppChatInput {
  name: string;
  owner: string;
  members: string[];
  chatid?: string;
}

/** GET /api/notifications/deliveries?status=&cursor= → {deliveries, nextCursor}; POST /:id/retry → this. */
export interface DeliveryView {
  id: number;
  eventType: string;
  ruleId: number | null;
  channel: NotificationChannel;
  /** `user:<userid>`, `robot:<id>` or `chat:<chatid>`. */
  target: string;
  title: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  mergedInto: number | null;
  createdAt: number;
  sentAt: number | null;
  nextAttemptAt: number;
}

/** POST /api/notifications/rules/:id/test → what was queued. */
export interface RuleTestResponse {
  queued: Array<{ id: number; channel: NotificationChannel; target: string }>;
}

/** POST /api/notifications/preview {event, template, format?, sample?} → {text}. */
export interface PreviewResponse {
  text: string;
}

/** GET /api/notifications/batches/:id: the messages a summary stands for (its link opens this list in the H5). */
export interface BatchResponse {
  id: number;
  title: string;
  eventType: string;
  sentAt: number | null;
  items: Array<{ title: string; text: string; url?: string }>;
}
