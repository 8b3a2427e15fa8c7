// Putting a message into members' clients, subject to WeCom's per-member limits. Beyond them WeCom drops the message
// for that member without an error (app messages: 30/min and 1000/h per member per app,
// https://developer.work.weixin.qq.com/document/path/90236; app chats: 200/min per member,
// https://developer.work.weixin.qq.com/document/path/90248); the simulator records each drop in stats.limitViolations.
import { HOUR_MS, MINUTE_MS, type InboxItem, type LimitKind, type LimitViolation } from './messaging';
import type { SimState } from './state';

export function pushInbox(s: SimState, userid: string, item: Omit<InboxItem, 'seq'>): InboxItem {
  const full: InboxItem = { seq: s.msg.nextSeq(), ...item };
  (s.stats.inbox[userid] ??= []).push(full);
  return full;
}

export function recordViolation(s: SimState, v: LimitViolation): void {
  s.stats.limitViolations.push(v);
}

/** Which app-message limit `userid` is over now, if any; otherwise count the delivery. */
function admitApp(s: SimState, userid: string, now: number): { kind: LimitKind; limit: number } | undefined {
  const w = s.msg.appMember;
  if (w.count(userid, now, MINUTE_MS) >= 30) return { kind: 'app_member_minute', limit: 30 };
  if (w.count(userid, now, HOUR_MS) >= 1000) return { kind: 'app_member_hour', limit: 1000 };
  w.add(userid, now);
  return undefined;
}

function admitAppchat(s: SimState, userid: string, now: number): { kind: LimitKind; limit: number } | undefined {
  if (s.msg.appchatMember.count(userid, now, MINUTE_MS) >= 200) return { kind: 'appchat_member_minute', limit: 200 };
  s.msg.appchatMember.add(userid, now);
  return undefined;
}

export interface Fanout {
  delivered: string[];
  dropped: string[];
}

/**
 * Deliver to each member that is within its limit: `make(userid)` builds the inbox item (called only for delivered
 * members, so a card's recipients are exactly the members who got it).
 */
export function fanOut(
  s: SimState,
  userids: string[],
  ctx: { now: number; msgid: string; chatid?: string },
  make: (userid: string) => Omit<InboxItem, 'seq'>,
): Fanout {
  const out: Fanout = { delivered: [], dropped: [] };
  for (const userid of userids) {
    const over = ctx.chatid ? admitAppchat(s, userid, ctx.now) : admitApp(s, userid, ctx.now);
    if (over) {
      out.dropped.push(userid);
      recordViolation(s, { ...over, at: ctx.now, userid, msgid: ctx.msgid, ...(ctx.chatid ? { chatid: ctx.chatid } : {}) });
      continue;
    }
    pushInbox(s, userid, make(userid));
    out.delivered.push(userid);
  }
  return out;
}
