// Messaging model: template cards and their per-member state, single-use response codes, group robots, app group chats,
// duplicate-check memory and the per-member / per-robot windows. What was *delivered* is recorded in SimStats
// (state.ts); this is what later calls are checked against, so resetStats() keeps it (task_ids stay unique per app).
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors';
import type { Json } from './input';
import { KeyedWindow } from './rate-limit';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/**
 * response_code lifetime. https://developer.work.weixin.qq.com/document/path/94888 says 72 hours, the message/send page
 * (https://developer.work.weixin.qq.com/document/path/90236) 24 hours; the shorter one is simulated.
 */
export const RESPONSE_CODE_TTL_MS = 24 * HOUR_MS;

/** One member's copy of a template card. */
export interface CardMemberState {
  taskId: string;
  userid: string;
  /** active: buttons clickable; button_replaced: greyed out showing replaceName; card_replaced: a new template_card. */
  status: 'active' | 'button_replaced' | 'card_replaced';
  replaceName?: string;
  /** The template_card currently shown. */
  card: Json;
  updatedAt?: number;
}

export interface CardRecord {
  taskId: string;
  cardType: string;
  msgid: string;
  sentAt: number;
  /** Members who actually received the card (silently dropped members are not here). */
  members: Map<string, CardMemberState>;
}

export interface ResponseCodeRecord {
  taskId: string;
  issuedAt: number;
  used: boolean;
  /** Set for codes issued by a click callback. */
  userid?: string;
}

/** A message in one member's client. `card` is the live state object, so it always shows the current card. */
export interface InboxItem {
  seq: number;
  at: number;
  source: 'app' | 'appchat';
  msgid: string;
  msgtype: string;
  /** body[msgtype] as sent. */
  content: Json;
  chatid?: string;
  card?: CardMemberState;
}

export interface Robot {
  key: string;
  name: string;
  createdAt: number;
}

export interface RobotInfo extends Robot {
  webhookUrl: string;
}

export interface RobotMessage {
  seq: number;
  at: number;
  msgtype: string;
  content: Json;
  /** Corp members mentioned through mentioned_list or `<@userid>` (canonical userids). */
  mentions: string[];
  mentionedAll: boolean;
  mentionedMobiles: string[];
  /** Mentioned ids that are not corp members. */
  unknownMentions: string[];
}

export interface AppChat {
  chatid: string;
  name: string;
  owner: string;
  userlist: string[];
  createdAt: number;
}

export interface AppchatMessage {
  seq: number;
  at: number;
  chatid: string;
  msgid: string;
  msgtype: string;
  content: Json;
  safe: number;
  delivered: string[];
  dropped: string[];
}

export interface CardUpdate {
  at: number;
  taskId: string;
  /** api: message/update_template_card; passive: an update_button passive reply to a click callback. */
  via: 'api' | 'passive';
  responseCode?: string;
  userids: string[];
  replaceName?: string;
  templateCard?: Json;
}

export interface CardClick {
  at: number;
  userid: string;
  taskId: string;
  key: string;
  responseCode: string;
  times: number;
}

export type LimitKind = 'app_member_minute' | 'app_member_hour' | 'appchat_member_minute' | 'robot_minute';

export interface LimitViolation {
  kind: LimitKind;
  at: number;
  limit: number;
  userid?: string;
  msgid?: string;
  chatid?: string;
  robotKey?: string;
}

export interface SuppressedMessage {
  at: number;
  /** The msgid of the earlier identical message. */
  msgid: string;
  body: Json;
}

export class Messaging {
  readonly cards = new Map<string, CardRecord>();
  readonly robots = new Map<string, Robot>();
  readonly chats = new Map<string, AppChat>();
  /** Delivery times per member of app messages (30/min, 1000/h). */
  readonly appMember = new KeyedWindow(HOUR_MS);
  /** Delivery times per member of app-chat messages (200/min). */
  readonly appchatMember = new KeyedWindow(MINUTE_MS);
  /** Accepted messages per robot key (20/min). */
  readonly robotWindow = new KeyedWindow(MINUTE_MS);
  private readonly codes = new Map<string, ResponseCodeRecord>();
  private readonly recent = new Map<string, { at: number; msgid: string }>();
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  issueResponseCode(taskId: string, now: number, userid?: string): string {
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { taskId, issuedAt: now, used: false, ...(userid ? { userid } : {}) });
    return code;
  }

  /**
   * Each code updates a card once (https://developer.work.weixin.qq.com/document/path/94888). Unknown, used or expired
   * codes answer 40058: no dedicated errcode is documented (README, choices where the docs are silent).
   */
  peekResponseCode(code: string, now: number): ResponseCodeRecord {
    const rec = this.codes.get(code);
    if (!rec) throw new ApiError(40058, 'response_code invalid');
    if (rec.used) throw new ApiError(40058, 'response_code already used');
    if (now - rec.issuedAt > RESPONSE_CODE_TTL_MS) throw new ApiError(40058, 'response_code expired');
    return rec;
  }

  /** The msgid of an identical message (same hash) remembered less than `intervalMs` ago, else undefined. */
  findDuplicate(hash: string, now: number, intervalMs: number): string | undefined {
    const prev = this.recent.get(hash);
    return prev && now - prev.at < intervalMs ? prev.msgid : undefined;
  }

  /** Remember a delivered message for later duplicate checks. */
  remember(hash: string, msgid: string, now: number): void {
    this.recent.set(hash, { at: now, msgid });
    if (this.recent.size > 50_000) {
      // duplicate_check_interval is at most 4 hours (https://developer.work.weixin.qq.com/document/path/90236)
      for (const [h, r] of this.recent) if (now - r.at > 4 * HOUR_MS) this.recent.delete(h);
    }
  }

  resetWindows(): void {
    this.appMember.reset();
    this.appchatMember.reset();
    this.robotWindow.reset();
  }
}
