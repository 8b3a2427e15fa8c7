// The app's answer to a card-click callback may be an encrypted passive reply (被动回复,
// https://developer.work.weixin.qq.com/document/path/90241): <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>,
// signed over the new Encrypt like any envelope. MsgType update_button (<Button><ReplaceName>) replaces the clicking
// member's buttons; other reply types are recorded but not applied.
import { decryptMessage, verifyMsgSignature } from './crypto';

export interface PassiveReply {
  /** The body was a well-formed, correctly signed and decryptable reply addressed to the clicking member. */
  ok: boolean;
  msgType?: string;
  /** update_button: the text that now replaces the buttons. */
  replaceName?: string;
  error?: string;
  plaintext?: string;
}

/** One element's text, CDATA or bare (flat XML only; no DTDs or entities are ever resolved). */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? '').trim() : undefined;
}

interface ReplyKeys {
  token: string;
  aesKey: string;
  corpId: string;
}

function decrypt(body: string, k: ReplyKeys): { plaintext?: string; error?: string } {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return { error: 'DTD in reply' };
  const [encrypt, signature, timestamp, nonce] = ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce'].map((n) => xmlField(body, n));
  if (!encrypt || !signature || !timestamp || !nonce) return { error: 'not an encrypted passive reply (Encrypt, MsgSignature, TimeStamp, Nonce)' };
  if (!verifyMsgSignature(k.token, timestamp, nonce, encrypt, signature)) return { error: 'MsgSignature does not match' };
  try {
    return { plaintext: decryptMessage(k.aesKey, encrypt, k.corpId).message };
  } catch (err) {
    return { error: `decrypt failed: ${(err as Error).message}` };
  }
}

/** Parse the callback answer for the member `userid`; undefined when the app answered with an empty body. */
export function parsePassiveReply(body: string, userid: string, k: ReplyKeys): PassiveReply | undefined {
  if (!body.trim()) return undefined;
  const { plaintext, error } = decrypt(body, k);
  if (plaintext === undefined) return { ok: false, error };
  const msgType = xmlField(plaintext, 'MsgType');
  const to = xmlField(plaintext, 'ToUserName');
  if (to !== undefined && to !== userid) return { ok: false, msgType, plaintext, error: `ToUserName ${to} is not the clicking member ${userid}` };
  if (msgType === 'update_button') {
    const replaceName = xmlField(plaintext, 'ReplaceName');
    if (!replaceName) return { ok: false, msgType, plaintext, error: 'update_button without Button.ReplaceName' };
    return { ok: true, msgType, replaceName, plaintext };
  }
  return { ok: true, msgType, plaintext };
}
