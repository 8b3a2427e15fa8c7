// WXBizMsgCrypt on node:crypto, written independently of server/ on purpose (a simulator that shares
// the server's misunderstanding proves nothing). Spec: 加解密方案说明 https://developer.work.weixin.qq.com/document/path/90968 (third-party copy
// https://developer.work.weixin.qq.com/document/path/91144), return codes
// https://developer.work.weixin.qq.com/document/path/90307; JS-SDK signature
// https://developer.work.weixin.qq.com/document/path/90506 (代开发 copy
// https://developer.work.weixin.qq.com/document/path/96909). Checked against the official vectors in
// test/unit/wecom-sim/wecom-sim.test.ts.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Return codes of the official libraries (https://developer.work.weixin.qq.com/document/path/90307). */
export const CRYPTO_ERRORS = {
  ValidateSignature: -40001,
  ParseXml: -40002,
  ComputeSignature: -40003,
  IllegalAesKey: -40004,
  ValidateReceiveId: -40005,
  EncryptAES: -40006,
  DecryptAES: -40007,
  IllegalBuffer: -40008,
  EncodeBase64: -40009,
  DecodeBase64: -40010,
  GenReturnXml: -40011,
} as const;

export class WecomCryptoError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`${message} (${code})`);
    this.name = 'WecomCryptoError';
  }
}

export interface DecryptedMessage {
  /** The message: XML for app callbacks, the echostr plaintext for URL verification. */
  message: string;
  receiveId: string;
  /** The 16 random prefix bytes (lets a test re-encrypt deterministically). */
  random: Buffer;
}

const sha1Hex = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');

/**
 * AESKey = base64_decode(EncodingAESKey + "="), 32 bytes; EncodingAESKey is 43 [a-zA-Z0-9]
 * (https://developer.work.weixin.qq.com/document/path/90930).
 */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[a-zA-Z0-9]{43}$/.test(encodingAesKey)) {
    throw new WecomCryptoError(CRYPTO_ERRORS.IllegalAesKey, 'EncodingAESKey must be 43 characters [a-zA-Z0-9]');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WecomCryptoError(CRYPTO_ERRORS.IllegalAesKey, 'AES key is not 32 bytes');
  return key;
}

/**
 * msg_signature = hex(sha1(sort([token, timestamp, nonce, encrypt]).join(''))) — four elements
 * (https://developer.work.weixin.qq.com/document/path/90968).
 */
export function msgSignature(token: string, timestamp: string | number, nonce: string | number, encrypt: string): string {
  return sha1Hex([token, String(timestamp), String(nonce), encrypt].sort().join(''));
}

/** Constant-time comparison of an expected and a received msg_signature (no official library does one). */
export function verifyMsgSignature(token: string, timestamp: string | number, nonce: string | number, encrypt: string, signature: string): boolean {
  const expected = Buffer.from(msgSignature(token, timestamp, nonce, encrypt), 'utf8');
  const got = Buffer.from(signature, 'utf8');
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** PKCS#7 to a multiple of 32 bytes, pad 1..32 (a full 32-byte block when already aligned, as the official samples do). */
export function pkcs7Pad32(data: Buffer): Buffer {
  const pad = 32 - (data.length % 32);
  return Buffer.concat([data, Buffer.alloc(pad, pad)]);
}

/** Strict unpad: last byte 1..32 and every pad byte equal to it (a lenient unpad turns garbage into a message). */
export function pkcs7Unpad32(data: Buffer): Buffer {
  const pad = data[data.length - 1];
  if (pad === undefined || pad < 1 || pad > 32 || pad > data.length) {
    throw new WecomCryptoError(CRYPTO_ERRORS.IllegalBuffer, 'bad PKCS#7 padding');
  }
  for (let i = data.length - pad; i < data.length; i++) {
    if (data[i] !== pad) throw new WecomCryptoError(CRYPTO_ERRORS.IllegalBuffer, 'bad PKCS#7 padding');
  }
  return data.subarray(0, data.length - pad);
}

/**
 * Encrypt: random(16) | msg_len (uint32 BE) | msg | receiveId, PKCS#7-32, AES-256-CBC with IV = key[0..16),
 * standard base64 (https://developer.work.weixin.qq.com/document/path/90968). `random` may be given to reproduce a known ciphertext.
 */
export function encryptMessage(encodingAesKey: string, message: string, receiveId: string, random?: Buffer): string {
  const key = aesKeyFrom(encodingAesKey);
  const prefix = random ?? randomBytes(16);
  if (prefix.length !== 16) throw new WecomCryptoError(CRYPTO_ERRORS.EncryptAES, 'random prefix must be 16 bytes');
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = pkcs7Pad32(Buffer.concat([prefix, len, msg, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/**
 * Decrypt with auto-padding off (OpenSSL only accepts pads 1..16), strict unpad, bounds checks (a bad key must
 * fail cleanly, not crash) and, when `expectedReceiveId` is given, the receiveid check (-40005).
 */
export function decryptMessage(encodingAesKey: string, encrypted: string, expectedReceiveId?: string): DecryptedMessage {
  const key = aesKeyFrom(encodingAesKey);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0) {
    throw new WecomCryptoError(CRYPTO_ERRORS.DecodeBase64, 'ciphertext is not standard base64');
  }
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length === 0 || raw.length % 16 !== 0) {
    throw new WecomCryptoError(CRYPTO_ERRORS.IllegalBuffer, 'ciphertext length is not a non-zero multiple of 16');
  }
  let padded: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    padded = Buffer.concat([decipher.update(raw), decipher.final()]);
  } catch (err) {
    throw new WecomCryptoError(CRYPTO_ERRORS.DecryptAES, `AES decrypt failed: ${(err as Error).message}`);
  }
  const plain = pkcs7Unpad32(padded);
  if (plain.length < 20) throw new WecomCryptoError(CRYPTO_ERRORS.IllegalBuffer, 'plaintext shorter than 20 bytes');
  const msgLen = plain.readUInt32BE(16);
  if (20 + msgLen > plain.length) throw new WecomCryptoError(CRYPTO_ERRORS.IllegalBuffer, 'msg_len exceeds plaintext');
  const message = plain.subarray(20, 20 + msgLen).toString('utf8');
  const receiveId = plain.subarray(20 + msgLen).toString('utf8');
  if (expectedReceiveId !== undefined && receiveId !== expectedReceiveId) {
    throw new WecomCryptoError(CRYPTO_ERRORS.ValidateReceiveId, 'receiveid mismatch');
  }
  return { message, receiveId, random: Buffer.from(plain.subarray(0, 16)) };
}

/** A nonce like WeCom's (decimal digits). */
export function randomNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}

/** The POST callback envelope of https://developer.work.weixin.qq.com/document/path/90238. */
export function callbackEnvelope(toUserName: string, agentId: string, encrypt: string): string {
  return (
    `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName>` + `<AgentID><![CDATA[${agentId}]]></AgentID>` + `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
  );
}

/** Extract the exact Encrypt text (no trimming: the signature covers it as sent). */
export function extractEncrypt(xml: string): string | undefined {
  return /<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]*)\]\]><\/Encrypt>/.exec(xml)?.[1];
}

/**
 * JS-SDK signature (https://developer.work.weixin.qq.com/document/path/90506, 代开发 copy https://developer.work.weixin.qq.com/document/path/96909):
 * sha1("jsapi_ticket=" + ticket + "&noncestr=" + noncestr + "&timestamp=" + timestamp + "&url=" + url),
 * url without its #fragment, no URL-encoding.
 */
export function jsapiSignature(ticket: string, noncestr: string, timestamp: string | number, url: string): string {
  const pageUrl = url.split('#')[0] ?? url;
  return sha1Hex(`jsapi_ticket=${ticket}&noncestr=${noncestr}&timestamp=${timestamp}&url=${pageUrl}`);
}
