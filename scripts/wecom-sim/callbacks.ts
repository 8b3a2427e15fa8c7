// Callback delivery to the app's 接收消息服务器: POST envelopes (https://developer.work.weixin.qq.com/document/path/90238), the GET URL
// verification (https://developer.work.weixin.qq.com/document/path/90930) and change_contact events
// (https://developer.work.weixin.qq.com/document/path/90970, https://developer.work.weixin.qq.com/document/path/90971,
// https://developer.work.weixin.qq.com/document/path/90972).
import { randomInt } from 'node:crypto';
import type { Department, Member, TagChange } from './corp';
import { callbackEnvelope, encryptMessage, msgSignature, randomNonce } from './crypto';
import type { DeliveryResult, SimState } from './state';

export interface DeliverOptions {
  /** Send the identical envelope (same timestamp, nonce, Encrypt) this many times, like WeCom's retries. Default 1. */
  times?: number;
  /**
   * Behave like WeCom on failure: re-send until HTTP 200, at most 3 attempts in all
   * (https://developer.work.weixin.qq.com/document/path/90238).
   */
  retryOnFailure?: boolean;
  /** WeCom gives up after 5 s (https://developer.work.weixin.qq.com/document/path/90238). */
  timeoutMs?: number;
}

export interface VerifyResult extends DeliveryResult {
  /** The echostr plaintext the app must answer with, as the bare body. */
  expected: string;
  ok: boolean;
  /** The exact URL requested (echostr percent-encoded once). */
  url: string;
}

export type Field = [name: string, value: string | number | undefined];

/** One element; strings in CDATA (with "]]>" split), numbers bare, as in WeCom's payloads. */
function el([name, value]: Field): string {
  if (typeof value === 'number') return `<${name}>${value}</${name}>`;
  return `<${name}><![CDATA[${(value ?? '').replace(/]]>/g, ']]]]><![CDATA[>')}]]></${name}>`;
}

/** An event plaintext from ordered fields (undefined values left out); elements separated by "\n" like vector A2. */
export function eventXml(fields: Field[]): string {
  return `<xml>${fields
    .filter(([, v]) => v !== undefined)
    .map(el)
    .join('\n')}\n</xml>`;
}

/** change_contact plaintext; elements separated by "\n" like the official sample plaintext (vector A2). */
export function changeContactXml(corpId: string, createTime: number, changeType: string, fields: Field[]): string {
  const all: Field[] = [
    ['ToUserName', corpId],
    ['FromUserName', 'sys'],
    ['CreateTime', createTime],
    ['MsgType', 'event'],
    ['Event', 'change_contact'],
    ['ChangeType', changeType],
    ...fields.filter(([, v]) => v !== undefined),
  ];
  return `<xml>${all.map(el).join('\n')}\n</xml>`;
}

/**
 * Member event fields. Reduced (post-2022-08-15) form: UserID (+NewUserID), Department, MainDepartment.
 * Full form adds Name, Position, IsLeaderInDept, DirectLeader, Status, Alias.
 */
export function memberEventFields(m: Member, full: boolean, oldUserId?: string): Field[] {
  const fields: Field[] = [['UserID', oldUserId ?? m.userid]];
  if (oldUserId && oldUserId !== m.userid) fields.push(['NewUserID', m.userid]);
  fields.push(['Department', m.department.join(',')], ['MainDepartment', m.main_department]);
  if (full) {
    fields.push(
      ['Name', m.name],
      ['Position', m.position],
      ['IsLeaderInDept', m.is_leader_in_dept.join(',')],
      ['DirectLeader', m.direct_leader.join(',')],
      ['Status', m.status],
      ['Alias', m.alias],
    );
  }
  return fields;
}

/** Party event fields. Reduced: Id, ParentId. Full: + Name (+ Order on create_party). */
export function partyEventFields(d: Department, full: boolean, withOrder: boolean): Field[] {
  const fields: Field[] = [['Id', d.id]];
  if (full) fields.push(['Name', d.name]);
  fields.push(['ParentId', String(d.parentid)]);
  if (full && withOrder) fields.push(['Order', d.order]);
  return fields;
}

/** update_tag fields: TagId and the non-empty Add/Del item lists (https://developer.work.weixin.qq.com/document/path/90972). */
export function tagEventFields(tagid: number, change: Required<TagChange>): Field[] {
  const list = (xs: (string | number)[]): string | undefined => (xs.length ? xs.join(',') : undefined);
  return [
    ['TagId', tagid],
    ['AddUserItems', list(change.addUsers)],
    ['DelUserItems', list(change.delUsers)],
    ['AddPartyItems', list(change.addParties)],
    ['DelPartyItems', list(change.delParties)],
  ];
}

function withQuery(base: string, params: [string, string][]): string {
  const [path, fragment] = base.split('#', 2) as [string, string | undefined];
  const qs = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${path}${path.includes('?') ? '&' : '?'}${qs}${fragment !== undefined ? `#${fragment}` : ''}`;
}

async function request(url: string, init: RequestInit, timeoutMs: number): Promise<DeliveryResult> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const e = err as Error;
    return { status: 0, body: e.name === 'TimeoutError' ? 'timeout' : `${e.message}${e.cause ? `: ${String((e.cause as Error).message ?? e.cause)}` : ''}` };
  }
}

export class CallbackSender {
  constructor(private readonly state: SimState) {}

  get url(): string | undefined {
    return this.state.opts.callbackUrl;
  }

  /** Encrypt + sign a plaintext XML and POST it to the callback URL (https://developer.work.weixin.qq.com/document/path/90238 envelope). */
  async deliver(xmlPlaintext: string, opts: DeliverOptions = {}): Promise<DeliveryResult[]> {
    const url = this.url;
    if (!url) throw new Error('wecom-sim: no callbackUrl set (setCallbackUrl or SIM_CALLBACK_URL)');
    const { corpId, agentId, callbackToken, callbackAesKey } = this.state.opts;
    const encrypt = encryptMessage(callbackAesKey, xmlPlaintext, corpId);
    const timestamp = String(Math.floor(this.state.now() / 1000));
    const nonce = randomNonce();
    const target = withQuery(url, [
      ['msg_signature', msgSignature(callbackToken, timestamp, nonce, encrypt)],
      ['timestamp', timestamp],
      ['nonce', nonce],
    ]);
    const body = callbackEnvelope(corpId, agentId, encrypt);
    const results: DeliveryResult[] = [];
    const times = Math.max(1, opts.times ?? 1);
    for (let i = 0; i < times; i++) {
      for (let attempt = 1; ; attempt++) {
        this.state.stats.callbackDeliveries++;
        const r = await request(target, { method: 'POST', headers: { 'content-type': 'text/xml' }, body }, opts.timeoutMs ?? 5000);
        results.push(r);
        if (r.status === 200 || !opts.retryOnFailure || attempt >= 3) break;
      }
    }
    return results;
  }

  /**
   * The GET verification with a random echostr, percent-encoded exactly once
   * (https://developer.work.weixin.qq.com/document/path/90930).
   */
  async verifyCallbackUrl(opts: { timeoutMs?: number } = {}): Promise<VerifyResult> {
    const url = this.url;
    if (!url) throw new Error('wecom-sim: no callbackUrl set');
    const { corpId, callbackToken, callbackAesKey } = this.state.opts;
    // A 19-digit decimal like the official echostr plaintext "1616140317555161061".
    const expected = `${randomInt(1, 10)}${Array.from({ length: 18 }, () => randomInt(0, 10)).join('')}`;
    let echostr = encryptMessage(callbackAesKey, expected, corpId);
    // Prefer an echostr containing '+' so a double URL-decode (which turns '+' into a space) is caught.
    for (let i = 0; i < 20 && !echostr.includes('+'); i++) echostr = encryptMessage(callbackAesKey, expected, corpId);
    const timestamp = String(Math.floor(this.state.now() / 1000));
    const nonce = randomNonce();
    const target = withQuery(url, [
      ['msg_signature', msgSignature(callbackToken, timestamp, nonce, echostr)],
      ['timestamp', timestamp],
      ['nonce', nonce],
      ['echostr', echostr],
    ]);
    this.state.stats.callbackDeliveries++;
    const r = await request(target, { method: 'GET' }, opts.timeoutMs ?? 5000);
    return { ...r, expected, ok: r.status === 200 && r.body === expected, url: target };
  }
}
