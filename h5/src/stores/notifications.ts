import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  AppChatInput,
  AppChatView,
  NotificationEventsResponse,
  NotificationRuleInput,
  NotificationRuleView,
  RobotView,
  RuleTestResponse,
} from '@shopcrew/shared';
import {
  addRobot as apiAddRobot,
  createChat as apiCreateChat,
  createRule,
  deleteChat,
  deleteRobot,
  deleteRule,
  fetchChats,
  fetchNotificationEvents,
  fetchRobots,
  fetchRules,
  testRule as apiTestRule,
  updateRule,
} from '@/api/notifications';
import { asApiError } from '@/api/http';
import { loadable } from './loadable';

export type NotificationEvent = NotificationEventsResponse['events'][number];
export type NotificationTemplate = NotificationEventsResponse['templates'][number];

/** The body that saves `rule` as it is (PUT takes every field). */
export function ruleInput(rule: NotificationRuleView): NotificationRuleInput {
  return {
    name: rule.name,
    eventType: rule.eventType,
    shopId: rule.shopId,
    condition: rule.condition,
    channel: rule.channel,
    format: rule.format,
    ...(rule.recipients ? { recipients: rule.recipients } : {}),
    robotId: rule.robotId,
    chatId: rule.chatId,
    template: rule.template,
    enabled: rule.enabled,
  };
}

/**
 * 通知设置: the event catalogue (GET /api/notifications/events), the routing rules, the group robots and the app group chats,
 * and the writes on them. Each list loads once unless forced; writes update the lists from the server's answer.
 * Errors of loads are kept (`*State`, `*Error`); writes throw ApiError for the page to show next to the field.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  // ---- catalogue ----
  const events = ref<NotificationEvent[]>([]);
  const templates = ref<NotificationTemplate[]>([]);
  const groupNameHint = ref('');
  const catalogue = loadable(
    () => fetchNotificationEvents(),
    (data) => {
      events.value = data.events;
      templates.value = data.templates;
      groupNameHint.value = data.groupNameHint;
    },
  );
  const loadCatalogue = (force = false) => (catalogue.state.value === 'done' && !force ? Promise.resolve() : catalogue.load());
  const eventByType = computed(() => new Map(events.value.map((e) => [e.type, e])));

  /** The default template for an event type, as the server picks it when a rule has none: exact type, else `noun.*`. */
  function defaultTemplate(eventType: string): string {
    const wildcard = `${eventType.split('.')[0]}.*`;
    const found = templates.value.find((t) => t.eventTypes.includes(eventType)) ?? templates.value.find((t) => t.eventTypes.includes(wildcard));
    return found?.text ?? '{event_label}';
  }

  // ---- rules ----
  const rules = ref<NotificationRuleView[]>([]);
  const ruleList = loadable(
    () => fetchRules(),
    (data) => (rules.value = data.rules),
  );
  const loadRules = (force = false) => (ruleList.state.value === 'done' && !force ? Promise.resolve() : ruleList.load());

  /** Rules grouped by event type, in the server's order (event type, then id). */
  const rulesByEvent = computed(() => {
    const groups = new Map<string, { eventType: string; label: string; rules: NotificationRuleView[] }>();
    for (const rule of rules.value) {
      let group = groups.get(rule.eventType);
      if (!group) groups.set(rule.eventType, (group = { eventType: rule.eventType, label: rule.eventLabel ?? rule.eventType, rules: [] }));
      group.rules.push(rule);
    }
    return [...groups.values()];
  });

  const ruleById = (id: number) => rules.value.find((r) => r.id === id);

  function upsertRule(rule: NotificationRuleView) {
    const i = rules.value.findIndex((r) => r.id === rule.id);
    if (i >= 0) rules.value.splice(i, 1, rule);
    else rules.value = [...rules.value, rule].sort((a, b) => a.eventType.localeCompare(b.eventType) || a.id - b.id);
  }

  /** Creates (`id` null) or replaces a rule; throws ApiError (422 with the field's code and a bilingual message). */
  async function saveRule(id: number | null, input: NotificationRuleInput): Promise<NotificationRuleView> {
    try {
      const saved = id === null ? await createRule(input) : await updateRule(id, input);
      upsertRule(saved);
      return saved;
    } catch (e) {
      throw asApiError(e);
    }
  }

  /** Rules whose 启用 switch is being saved. */
  const toggling = ref<Record<number, boolean>>({});

  /** The 启用 switch: PUT the rule with `enabled` flipped. Throws ApiError; the list keeps the old value then. */
  async function setEnabled(rule: NotificationRuleView, enabled: boolean): Promise<void> {
    if (toggling.value[rule.id]) return;
    toggling.value[rule.id] = true;
    try {
      await saveRule(rule.id, { ...ruleInput(rule), enabled });
    } finally {
      delete toggling.value[rule.id];
    }
  }

  async function removeRule(id: number): Promise<void> {
    try {
      await deleteRule(id);
    } catch (e) {
      throw asApiError(e);
    }
    rules.value = rules.value.filter((r) => r.id !== id);
  }

  /** 测试发送: what was queued for the saved rule and a sample event. */
  async function testRule(id: number): Promise<RuleTestResponse> {
    try {
      return await apiTestRule(id);
    } catch (e) {
      throw asApiError(e);
    }
  }

  // ---- robots ----
  const robots = ref<RobotView[]>([]);
  const robotList = loadable(
    () => fetchRobots(),
    (data) => (robots.value = data.robots),
  );
  const loadRobots = (force = false) => (robotList.state.value === 'done' && !force ? Promise.resolve() : robotList.load());
  const robotById = (id: number | null) => (id === null ? undefined : robots.value.find((r) => r.id === id));

  /** Registers a robot by its webhook URL; throws ApiError (422 invalid_webhook_url / validation_failed). */
  async function addRobot(input: { name: string; webhookUrl: string }): Promise<RobotView> {
    try {
      const robot = await apiAddRobot(input);
      robots.value = [...robots.value, robot].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
      return robot;
    } catch (e) {
      throw asApiError(e);
    }
  }

  /** Throws ApiError (409 robot_in_use while a rule still sends through it). */
  async function removeRobot(id: number): Promise<void> {
    try {
      await deleteRobot(id);
    } catch (e) {
      throw asApiError(e);
    }
    robots.value = robots.value.filter((r) => r.id !== id);
  }

  // ---- app group chats (应用群聊) ----
  const chats = ref<AppChatView[]>([]);
  const chatList = loadable(
    () => fetchChats(),
    (data) => (chats.value = data.chats),
  );
  const loadChats = (force = false) => (chatList.state.value === 'done' && !force ? Promise.resolve() : chatList.load());
  const chatByChatid = (chatid: string | null) => (chatid === null ? undefined : chats.value.find((c) => c.chatid === chatid));

  /** Creates the chat in WeCom and records it; throws ApiError (422 / 409 chat_exists / 502 wecom_unavailable). */
  async function createChat(input: AppChatInput): Promise<AppChatView> {
    try {
      const chat = await apiCreateChat(input);
      chats.value = [...chats.value, chat].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
      return chat;
    } catch (e) {
      throw asApiError(e);
    }
  }

  /** From ShopCrew's list only; throws ApiError (409 chat_in_use while a rule still sends to it). */
  async function removeChat(id: number): Promise<void> {
    try {
      await deleteChat(id);
    } catch (e) {
      throw asApiError(e);
    }
    chats.value = chats.value.filter((c) => c.id !== id);
  }

  return {
    events,
    templates,
    groupNameHint,
    catalogueState: catalogue.state,
    catalogueError: catalogue.error,
    eventByType,
    loadCatalogue,
    defaultTemplate,
    rules,
    rulesState: ruleList.state,
    rulesError: ruleList.error,
    rulesByEvent,
    ruleById,
    loadRules,
    saveRule,
    toggling,
    setEnabled,
    removeRule,
    testRule,
    robots,
    robotsState: robotList.state,
    robotsError: robotList.error,
    robotById,
    loadRobots,
    addRobot,
    removeRobot,
    chats,
    chatsState: chatList.state,
    chatsError: chatList.error,
    chatByChatid,
    loadChats,
    createChat,
    removeChat,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useNotificationsStore, import.meta.hot));
