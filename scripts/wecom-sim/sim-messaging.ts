// The messaging part of the WecomSim object: typed accessors over what members, robot groups and app chats received,
// plus robots, card clicks, faults and latency, so product tests can assert on them.
import type { CallbackSender } from './callbacks';
import { clickCard, type ClickOptions, type ClickResult } from './card-click';
import type { AppChat, AppchatMessage, CardMemberState, InboxItem, RobotInfo, RobotMessage } from './messaging';
import { createRobot, robotInfo } from './robots';
import type { Fault, SimState } from './state';

export interface LatencySettings {
  /** Added to every /cgi-bin call. */
  latencyMs?: number;
  /** Added on top of latencyMs to message/*, appchat/* and webhook/send. */
  messagingLatencyMs?: number;
}

export interface CardView {
  taskId: string;
  cardType: string;
  msgid: string;
  sentAt: number;
  members: CardMemberState[];
}

export interface WecomSimMessaging {
  /** What `userid`'s client shows (app and app-chat messages), newest first; cards carry their live state. */
  inboxOf(userid: string): InboxItem[];
  /** One member's copy of the card `taskId` (undefined if the member never received it). */
  cardState(taskId: string, userid: string): CardMemberState | undefined;
  /** The card `taskId` with every recipient's copy. */
  card(taskId: string): CardView | undefined;
  /** Create a group robot (https://developer.work.weixin.qq.com/document/path/99110); its webhookUrl is on this simulator. */
  createRobot(name: string, key?: string): RobotInfo;
  robots(): RobotInfo[];
  /** Messages robot `key` accepted, oldest first, with the mentions resolved against the corp. */
  robotMessages(key: string): RobotMessage[];
  /** An app group chat as the app created it (https://developer.work.weixin.qq.com/document/path/98914). */
  appchat(chatid: string): AppChat | undefined;
  /** Messages accepted for app chat `chatid`, oldest first. */
  appchatMessages(chatid: string): AppchatMessage[];
  /**
   * `userid` clicks button `buttonKey` of card `taskId`: the signed, encrypted template_card_event is POSTed to the
   * callback URL. Rejects with ClickRefused if the member did not receive the card or its buttons are replaced.
   */
  clickCard(userid: string, taskId: string, buttonKey: string, opts?: ClickOptions): Promise<ClickResult>;
  /** The next `times` calls to `path` get the fault: a delay, and then an HTTP status (non-JSON body) or an errcode. */
  injectFault(path: string, fault: Fault, times?: number): void;
  setLatency(l: LatencySettings): void;
}

export function messagingApi(state: SimState, sender: CallbackSender, baseUrl: () => string): WecomSimMessaging {
  const robot = (key: string): RobotInfo | undefined => {
    const r = state.msg.robots.get(key);
    return r && robotInfo(r, baseUrl());
  };
  return {
    inboxOf: (userid) => [...(state.stats.inbox[userid] ?? [])].reverse(),
    cardState: (taskId, userid) => state.msg.cards.get(taskId)?.members.get(userid),
    card: (taskId) => {
      const rec = state.msg.cards.get(taskId);
      return rec && { taskId, cardType: rec.cardType, msgid: rec.msgid, sentAt: rec.sentAt, members: [...rec.members.values()] };
    },
    createRobot: (name, key) => robot(createRobot(state, name, key).key)!,
    robots: () => [...state.msg.robots.keys()].map((k) => robot(k)!),
    robotMessages: (key) => [...(state.stats.robotMessages[key] ?? [])],
    appchat: (chatid) => state.msg.chats.get(chatid),
    appchatMessages: (chatid) => [...(state.stats.appchatMessages[chatid] ?? [])],
    clickCard: (userid, taskId, key, opts) => clickCard(state, sender, userid, taskId, key, opts),
    injectFault: (path, fault, times = 1) => state.injectFault(path, fault, times),
    setLatency: (l) => {
      if (l.latencyMs !== undefined) state.opts.latencyMs = l.latencyMs;
      if (l.messagingLatencyMs !== undefined) state.opts.messagingLatencyMs = l.messagingLatencyMs;
    },
  };
}
