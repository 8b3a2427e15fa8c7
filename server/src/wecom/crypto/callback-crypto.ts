/**
 * WeCom callback crypto (WXBizMsgCrypt) for a self-built app.
 *
 * 加解密方案说明 https://developer.work.weixin.qq.com/document/path/90968 (the same scheme in the third-party copy
 * https://developer.work.weixin.qq.com/document/path/91144); return codes of the official libraries
 * https://developer.work.weixin.qq.com/document/path/90307; official vectors in the `callback/Sample.php` of
 * https://github.com/sbzhu/weworkapi_php, the PHP library those pages link.
 *
 * `wechat-crypto` (https://github.com/node-webot/wechat-crypto) computes the signature and does random-prefix
 * encryption (its encrypt pads 1..32 like WeCom). Everything it gets wrong is done here: a constant-time
 * signature compare, a strict decrypt of our own with auto-padding off (OpenSSL's unpad rejects WeCom's 17..32
 * pads, the library's lenient unpad turns garbage into a "message", and it has no length checks), and the
 * receiveid == CorpID check. Deterministic encryption with a caller-given random prefix (tests, vectors) is also
 * ours, because the library cannot take one.
 */
import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import WXBizMsgCrypt from 'wechat-crypto';

export type CallbackCryptoFailure = 'bad_signature' | 'bad_base64' | 'bad_padding' | 'bad_length' | 'wrong_receiver';

/** Official WXBizMsgCrypt return code for each failure (https://developer.work.weixin.qq.com/document/path/90307). */
const OFFICIAL_CODE: Record<CallbackCryptoFailure, number> = {
  bad_signature: -40001, // ValidateSignature_Error
  bad_base64: -40010, // DecodeBase64_Error
  bad_padding: -40007, // DecryptAES_Error
  bad_length: -40008, // IllegalBuffer
  wrong_receiver: -40005, // ValidateCorpid_Error
};

/** An expected, attacker-reachable failure: render as a plain 4xx/ignored callback, never a 500. */
export class CallbackCryptoError extends Error {
  readonly officialCode: number;
  constructor(
    readonly reason: CallbackCryptoFailure,
    message?: string,
  ) {
    super(message ?? `WeCom callback crypto failed: ${reason}`);
    this.name = 'CallbackCryptoError';
    this.officialCode = OFFICIAL_CODE[reason];
  }
}

export interface CallbackCryptoOptions {
  /** 回调 Token: 1..32 letters/digits (回调配置 https://developer.work.weixin.qq.com/document/path/90930). */
  token: string;
  /** EncodingAESKey: exactly 43 chars of [a-zA-Z0-9] (https://developer.work.weixin.qq.com/document/path/90930). */
  encodingAESKey: string;
  /**
   * Expected receiveid inside every plaintext; the CorpID for a self-built app
   * (https://developer.work.weixin.qq.com/document/path/90968, 附注).
   */
  receiveId: string;
}

/** WeCom pads PKCS#7 to a multiple of 32, not AES's 16 (https://developer.work.weixin.qq.com/document/path/90968). */
const BLOCK = 32;
/** random(16) + msg_len(4) */
const HEADER = 20;

export class WeComCallbackCrypto {
  private readonly lib: WXBizMsgCrypt;
  private readonly key: Buffer;
  private readonly iv: Buffer;
  private readonly receiveId: Buffer;

  constructor(opts: CallbackCryptoOptions) {
    // Error messages name the problem, never the value (these are secrets).
    if (typeof opts.encodingAESKey !== 'string' || !/^[a-zA-Z0-9]{43}$/.test(opts.encodingAESKey)) {
      throw new Error('WeCom EncodingAESKey must be exactly 43 characters from [a-zA-Z0-9]');
    }
    if (typeof opts.token !== 'string' || !/^[a-zA-Z0-9]{1,32}$/.test(opts.token)) {
      throw new Error('WeCom callback Token must be 1..32 letters or digits');
    }
    // wechat-crypto refuses an empty id, so the smart-robot receiveid ""
    // (https://developer.work.weixin.qq.com/document/path/101033) is not supported here.
    if (typeof opts.receiveId !== 'string' || opts.receiveId.length === 0) {
      throw new Error('WeCom receiveId (the CorpID) must be a non-empty string');
    }
    this.key = Buffer.from(`${opts.encodingAESKey}=`, 'base64'); // 43 chars + "=" -> 32 bytes
    this.iv = this.key.subarray(0, 16);
    this.receiveId = Buffer.from(opts.receiveId, 'utf8');
    this.lib = new WXBizMsgCrypt(opts.token, opts.encodingAESKey, opts.receiveId);
  }

  /**
   * msg_signature = sha1 over the sorted [token, timestamp, nonce, encrypted]
   * (https://developer.work.weixin.qq.com/document/path/90968).
   */
  signature(timestamp: string, nonce: string, encrypted: string): string {
    return this.lib.getSignature(timestamp, nonce, encrypted);
  }

  /** Constant-time compare (no official library does one). Sign over the exact Encrypt/echostr text, never trimmed. */
  verifySignature(msgSignature: string, timestamp: string, nonce: string, encrypted: string): boolean {
    // Query values may arrive as arrays at runtime (repeated params); never sign those.
    if ([msgSignature, timestamp, nonce, encrypted].some((v) => typeof v !== 'string')) return false;
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypted), 'utf8');
    const given = Buffer.from(msgSignature, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Strict decrypt: own unpad (1..32, all pad bytes equal), length bounds, receiveid. Returns the message; throws CallbackCryptoError. */
  decrypt(encrypted: string): string {
    const data = decodeCanonicalBase64(encrypted);
    // AES-CBC without padding needs whole blocks; WeCom's ciphertexts are whole 32-byte blocks.
    if (data.length === 0 || data.length % BLOCK !== 0) throw new CallbackCryptoError('bad_length');

    let padded: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false); // OpenSSL's unpad only accepts 1..16 (Tencent/WeKnora#2832)
      padded = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw new CallbackCryptoError('bad_padding');
    }

    const pad = padded[padded.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK) throw new CallbackCryptoError('bad_padding');
    for (let i = padded.length - pad; i < padded.length; i++) {
      if (padded[i] !== pad) throw new CallbackCryptoError('bad_padding');
    }
    const plain = padded.subarray(0, padded.length - pad);
    if (plain.length < HEADER) throw new CallbackCryptoError('bad_length');
    const msgLen = plain.readUInt32BE(16);
    if (HEADER + msgLen > plain.length) throw new CallbackCryptoError('bad_length');

    // receiveid must be the CorpID (official -40005, https://developer.work.weixin.qq.com/document/path/90307); neither
    // npm library checks it.
    if (!plain.subarray(HEADER + msgLen).equals(this.receiveId)) throw new CallbackCryptoError('wrong_receiver');
    return plain.subarray(HEADER, HEADER + msgLen).toString('utf8');
  }

  /**
   * Encrypt `message` for WeCom. Always pads 1..32 bytes, a full 32 when already aligned (as the official
   * samples do; WeCom rejected unpadded exact multiples: https://github.com/esap/wechat/pull/43).
   * `random` (16 bytes) makes the output deterministic, for the official vectors; production omits it
   * and gets wechat-crypto's CSPRNG prefix (its `pseudoRandomBytes` is an alias of `randomBytes`).
   */
  encrypt(message: string, random?: Buffer): string {
    if (random === undefined) return this.lib.encrypt(message);
    if (random.length !== 16) throw new Error('random prefix must be 16 bytes');
    const msg = Buffer.from(message, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const raw = Buffer.concat([random, len, msg, this.receiveId]);
    const pad = BLOCK - (raw.length % BLOCK); // 1..32, never 0
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /**
   * GET echostr or POST Encrypt: verify the signature first, then decrypt
   * (https://developer.work.weixin.qq.com/document/path/90930,
   * https://developer.work.weixin.qq.com/document/path/90238).
   */
  open(q: { msgSignature: string; timestamp: string; nonce: string; encrypted: string }): string {
    if (!this.verifySignature(q.msgSignature, q.timestamp, q.nonce, q.encrypted)) {
      throw new CallbackCryptoError('bad_signature');
    }
    return this.decrypt(q.encrypted);
  }

  /**
   * Encrypted passive reply envelope (https://developer.work.weixin.qq.com/document/path/90241; official
   * `XMLParse.generate`). Reusing the incoming timestamp and nonce is allowed; the signature covers the new Encrypt
   * value.
   */
  sealReply(xml: string, timestamp: string, nonce: string): string {
    // timestamp goes outside CDATA and nonce inside it: refuse values that could break the envelope.
    if (!/^\d{1,20}$/.test(timestamp)) throw new Error('reply timestamp must be decimal digits');
    if (nonce.includes(']]>')) throw new Error('reply nonce must not contain "]]>"');
    const encrypted = this.encrypt(xml);
    const signature = this.signature(timestamp, nonce, encrypted);
    return (
      `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt>` +
      `<MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
      `<TimeStamp>${timestamp}</TimeStamp>` +
      `<Nonce><![CDATA[${nonce}]]></Nonce></xml>`
    );
  }
}

/**
 * Standard-alphabet base64 in canonical form only: Node's decoder silently skips junk characters and
 * accepts URL-safe ones, so a '+'-turned-space (a second, form-style URL-decoding pass) would otherwise
 * "decode" to something else. The round trip also rejects missing padding and non-zero trailing bits.
 */
function decodeCanonicalBase64(s: string): Buffer {
  if (typeof s !== 'string' || s.length === 0 || s.length % 4 !== 0) throw new CallbackCryptoError('bad_base64');
  // Buffer.from skips what is not base64 (whitespace, '!', '-', '_'), so the round trip is what proves the text was
  // exactly canonical base64 (the alphabet, and padding only at the end): no separate pattern test is needed.
  const buf = Buffer.from(s, 'base64');
  if (buf.toString('base64') !== s) throw new CallbackCryptoError('bad_base64');
  return buf;
}
