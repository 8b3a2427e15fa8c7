import type {
  AppChatInput,
  BatchResponse,
  AppChatView,
  DeliveryStatus,
  DeliveryView,
  NotificationEventsResponse,
  NotificationRuleInput,
  NotificationRuleView,
  PreviewResponse,
  RobotView,
  RuleTestResponse,
} from '@shopcrew/shared';
import { get, post, request } from './http';

/** 通知设置 (server/src/modules/notifications/notification.routes.ts); every route needs notifications:manage. */

/** GET /api/notifications/events: the event catalogue (type, zh-CN label, fields), the default templates, the group name hint. */
export function fetchNotificationEvents(signal?: AbortSignal): Promise<NotificationEventsResponse> {
  return get<NotificationEventsResponse>('/api/notifications/events', { signal });
}

/** GET /api/notifications/rules: every rule, by event type. */
export function fetchRules(signal?: AbortSignal): Promise<{ rules: NotificationRuleView[] }> {
  return get<{ rules: NotificationRuleView[] }>('/api/notifications/rules', { signal });
}

/** POST /api/notifications/rules → 201 (422 unknown_event, unknown_placeholder, invalid_template, unknown_field, invalid_condition, unknown_recipient, unknown_robot, unknown_chat, validation_failed). */
export function createRule(body: NotificationRuleInput): Promise<NotificationRuleView> {
  return post<NotificationRuleView>('/api/notifications/rules', body);
}

/** PUT /api/notifications/rules/:id with every field (the same 422s as POST). */
export function updateRule(id: number, body: NotificationRuleInput): Promise<NotificationRuleView> {
  return request<NotificationRuleView>(`/api/notifications/rules/${id}`, { method: 'PUT', body });
}

/** DELETE /api/notifications/rules/:id → 204 */
export function deleteRule(id: number): Promise<void> {
  return request<void>(`/api/notifications/rules/${id}`, { method: 'DELETE' });
}

/** POST /api/notifications/rules/:id/test: the saved rule for a sample event, queued like a real one. */
export function testRule(id: number, sample?: Record<string, unknown>): Promise<RuleTestResponse> {
  return post<RuleTestResponse>(`/api/notifications/rules/${id}/test`, sample ? { sample } : {});
}

export interface PreviewRequest {
  event: string;
  template: string;
  format: 'text' | 'markdown';
  sample?: Record<string, unknown>;
}

/** POST /api/notifications/preview → the template rendered for a sample event (422 unknown_placeholder, invalid_template, unknown_event). */
export function previewTemplate(body: PreviewRequest, signal?: AbortSignal): Promise<PreviewResponse> {
  return post<PreviewResponse>('/api/notifications/preview', body, { signal });
}

/** GET /api/notifications/robots (the key only as a masked hint). */
export function fetchRobots(signal?: AbortSignal): Promise<{ robots: RobotView[] }> {
  return get<{ robots: RobotView[] }>('/api/notifications/robots', { signal });
}

/** POST /api/notifications/robots → 201 (422 invalid_webhook_url, validation_failed). */
export function addRobot(body: { name: string; webhookUrl: string }): Promise<RobotView> {
  return post<RobotView>('/api/notifications/robots', body);
}

/** DELETE /api/notifications/robots/:id → 204 (409 robot_in_use). */
export function deleteRobot(id: number): Promise<void> {
  return request<void>(`/api/notifications/robots/${id}`, { method: 'DELETE' });
}

/** GET /api/notifications/chats: the app group chats (应用群聊) the app created, by name. */
export function fetchChats(signal?: AbortSignal): Promise<{ chats: AppChatView[] }> {
  return get<{ chats: AppChatView[] }>('/api/notifications/chats', { signal });
}

/**
 * POST /api/notifications/chats → 201: created in WeCom, then recorded (422 validation_failed, unknown_recipient,
 * wecom_config; 409 chat_exists; 502 wecom_unavailable).
 */
export function createChat(body: AppChatInput): Promise<AppChatView> {
  return post<AppChatView>('/api/notifications/chats', body);
}

/** DELETE /api/notifications/chats/:id → 204, from ShopCrew's list only (409 chat_in_use). */
export function deleteChat(id: number): Promise<void> {
  return request<void>(`/api/notifications/chats/${id}`, { method: 'DELETE' });
}

export interface DeliveryPage {
  deliveries: DeliveryView[];
  nextCursor: number | null;
}

/** GET /api/notifications/deliveries?status=&cursor=: one page, newest first. */
export function fetchDeliveries(status: DeliveryStatus | undefined, cursor?: number | null, signal?: AbortSignal): Promise<DeliveryPage> {
  return get<DeliveryPage>('/api/notifications/deliveries', { query: { status, cursor: cursor ?? undefined }, signal });
}

/** POST /api/notifications/deliveries/:id/retry: a dead delivery back in the queue (409 not_dead). */
export function retryDelivery(id: number): Promise<DeliveryView> {
  return post<DeliveryView>(`/api/notifications/deliveries/${id}/retry`, {});
}

/** GET /api/notifications/batches/:id: the messages a summary stands for (any member it was sent to; 403 otherwise). */
export function fetchBatch(id: number, signal?: AbortSignal): Promise<BatchResponse> {
  return get<BatchResponse>(`/api/notifications/batches/${id}`, { signal });
}
