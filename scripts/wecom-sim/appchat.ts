// App group chats (应用群聊): appchat/create (https://developer.work.weixin.qq.com/document/path/90245), appchat/update
// (https://developer.work.weixin.qq.com/document/path/98913, older 90246), appchat/get
// (https://developer.work.weixin.qq.com/document/path/98914, older 90247) and appchat/send (https://developer.work.weixin.qq.com/document/path/90248). Errcodes from the global table
// (https://developer.work.weixin.qq.com/document/path/90313): 86001 bad chatid, 86003 unknown chatid, 86005 bad owner,
// 86006 member count, 86007 bad member, 86207 owner not a member, 86215 chatid exists.
import { randomBytes } from 'node:crypto';
import { checkMarkdown, checkNews, checkText, checkTextcard } from './content';
import { fanOut } from './delivery';
import type { ApiRequest } from './endpoint';
import { ApiError } from './errors';
import { q } from './http';
import { objectAt, stringAt, stringListAt, type Json } from './input';
import type { AppChat } from './messaging';
import type { SimState } from './state';

const CHATID = /^[0-9a-zA-Z]{1,32}$/;

/** Canonical userids; an unknown member is 86007. */
function members(s: SimState, ids: string[]): string[] {
  const index = new Map([...s.corp.members.keys()].map((u) => [u.toLowerCase(), u]));
  return [
    ...new Set(
      ids.map((id) => {
        const u = index.get(id.toLowerCase());
        if (!u) throw new ApiError(86007, `userid ${id} invalid`);
        return u;
      }),
    ),
  ];
}

/** Group names longer than 50 characters are truncated ("最多50个utf8字符，超过将截断", 90245). */
const chatName = (v: unknown): string => (typeof v === 'string' ? [...v].slice(0, 50).join('') : '');

function chat(s: SimState, chatid: string | undefined): AppChat {
  if (!chatid || !CHATID.test(chatid)) throw new ApiError(86001);
  const c = s.msg.chats.get(chatid);
  if (!c) throw new ApiError(86003);
  return c;
}

function checkOwner(s: SimState, owner: string, userlist: string[]): string {
  const canonical = [...s.corp.members.keys()].find((u) => u.toLowerCase() === owner.toLowerCase());
  if (!canonical) throw new ApiError(86005);
  if (!userlist.includes(canonical)) throw new ApiError(86207);
  return canonical;
}

function createChat(req: ApiRequest, s: SimState): Json {
  const userlist = members(s, stringListAt(req.body, 'userlist') ?? []);
  if (userlist.length < 2 || userlist.length > 2000) throw new ApiError(86006, 'userlist size must be 2..2000');
  let chatid = stringAt(req.body, 'chatid');
  if (chatid !== undefined && !CHATID.test(chatid)) throw new ApiError(86001);
  if (chatid && s.msg.chats.has(chatid)) throw new ApiError(86215);
  chatid ??= `wr${randomBytes(15).toString('hex')}`;
  const ownerIn = stringAt(req.body, 'owner');
  // Without owner "系统会随机从userlist中选一人作为群主" (90245).
  const owner = ownerIn ? checkOwner(s, ownerIn, userlist) : userlist[Math.floor(Math.random() * userlist.length)]!;
  s.msg.chats.set(chatid, { chatid, name: chatName(req.body['name']), owner, userlist, createdAt: s.now() });
  return { chatid };
}

function updateChat(req: ApiRequest, s: SimState): Json {
  const c = chat(s, stringAt(req.body, 'chatid'));
  const add = members(s, stringListAt(req.body, 'add_user_list') ?? []);
  const del = new Set(members(s, stringListAt(req.body, 'del_user_list') ?? []));
  const userlist = [...new Set([...c.userlist, ...add])].filter((u) => !del.has(u));
  if (userlist.length > 2000) throw new ApiError(86006, 'userlist size must be ≤ 2000');
  const ownerIn = stringAt(req.body, 'owner');
  const owner = checkOwner(s, ownerIn || c.owner, userlist);
  if (req.body['name'] !== undefined) c.name = chatName(req.body['name']);
  Object.assign(c, { owner, userlist });
  return {};
}

const getChat = (req: ApiRequest, s: SimState): Json => {
  const c = chat(s, q(req.query, 'chatid'));
  return { chat_info: { chatid: c.chatid, name: c.name, owner: c.owner, userlist: [...c.userlist] } };
};

function checkChatContent(msgtype: string, c: Json, safe: number): void {
  if (msgtype === 'text') return checkText(c);
  if (msgtype === 'markdown') return checkMarkdown(c);
  if (msgtype === 'textcard') return checkTextcard(c);
  if (msgtype === 'news') {
    if (safe === 1) throw new ApiError(40074, 'news does not support safe');
    return checkNews(c);
  }
  throw new ApiError(40008, msgtype ? `msgtype ${msgtype} is not simulated` : undefined);
}

function sendChat(req: ApiRequest, s: SimState): Json {
  const c = chat(s, stringAt(req.body, 'chatid'));
  const msgtype = stringAt(req.body, 'msgtype') ?? '';
  const content = objectAt(req.body, msgtype);
  if (!content) throw new ApiError(40008, msgtype ? `${msgtype} missing` : undefined);
  const safe = req.body['safe'] === 1 ? 1 : 0;
  checkChatContent(msgtype, content, safe);
  const now = s.now();
  const msgid = randomBytes(24).toString('base64url');
  const out = fanOut(s, c.userlist, { now, msgid, chatid: c.chatid }, () => ({ at: now, source: 'appchat', msgid, msgtype, content, chatid: c.chatid }));
  (s.stats.appchatMessages[c.chatid] ??= []).push({ seq: s.msg.nextSeq(), at: now, chatid: c.chatid, msgid, msgtype, content, safe, ...out });
  return {};
}

/** Handlers by path segment (the appchat bodies carry no agentid: the access_token names the app). */
export const APPCHAT_HANDLERS = {
  create: createChat,
  update: updateChat,
  get: getChat,
  send: sendChat,
} as const;
