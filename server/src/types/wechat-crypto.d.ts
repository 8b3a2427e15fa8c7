/**
 * Minimal typings for `wechat-crypto@0.0.2` (https://github.com/node-webot/wechat-crypto, lib/msg_crypto.js),
 * which ships none. Only what `wecom/crypto/callback-crypto.ts` uses is declared. Its `decrypt` does NOT check
 * the receiveid, unpads leniently and checks no lengths (see callback-crypto.ts) — never call it directly.
 */
declare module 'wechat-crypto' {
  class WXBizMsgCrypt {
    /** Throws `please check arguments` when any argument is falsy, `encodingAESKey invalid` on a bad key. */
    constructor(token: string, encodingAESKey: string, id: string);
    /** hex(sha1(sort([token, timestamp, nonce, encrypt]).join(''))) */
    getSignature(timestamp: string, nonce: string, encrypt: string): string;
    /** Lenient: does not check the receiveid, the pad bytes or any length. */
    decrypt(text: string): { message: string; id: string };
    /** AES-256-CBC of random(16) + msg_len + msg + id, PKCS#7-padded to 32 (1..32 bytes), base64. */
    encrypt(text: string): string;
  }
  export = WXBizMsgCrypt;
}
