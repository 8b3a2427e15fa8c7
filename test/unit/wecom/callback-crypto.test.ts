/**
 * WeCom callback crypto (https://developer.work.weixin.qq.com/document/path/90968) against the official vectors of
 * https://github.com/sbzhu/weworkapi_php/blob/master/callback/Sample.php and
 * https://github.com/sbzhu/weworkapi_python/blob/master/callback_json/Sample.py, and the cases those miss
 * (pads 17..32, exact multiples of 32, '+' in the ciphertext, tampering, wrong receiveid, truncation).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CallbackCryptoError, WeComCallbackCrypto, type CallbackCryptoFailure } from '../../../server/src/wecom/crypto/callback-crypto';

// Set A: sbzhu/weworkapi_php callback/Sample.php (app XML callbacks).
const A = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const A1 = {
  rawQuery:
    'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  message: '1616140317555161061',
  random: 'c41b64491c2468d0',
};
const A2 = {
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypted:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  message:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
  random: '0960688932c47ef1',
};

// Set B: sbzhu/weworkapi_python callback_json/Sample.py (JSON-style callbacks, same crypto).
const B = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', receiveId: 'ww1436e0e65a779aee' };
const B1 = {
  msgSignature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  encrypted: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
  message: '1288432023552776189',
  random: '8908d0ff052afda0',
};
const B2 = {
  msgSignature: 'e3647471e395139e2308c1fa963f2d648a00b90e',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypted:
    'cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=',
  random: 'dDVXRx6kn1gOT43Q',
};

const a = new WeComCallbackCrypto(A);
const b = new WeComCallbackCrypto(B);

/** Raw AES-CBC decrypt without unpadding, to look at the pad WeCom would see. */
function rawPlain(encodingAESKey: string, encrypted: string): Buffer {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
}
const padOf = (plain: Buffer): number => plain[plain.length - 1] ?? -1;

function expectFailure(fn: () => unknown, reasons: CallbackCryptoFailure[]): CallbackCryptoError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CallbackCryptoError);
  const err = caught as CallbackCryptoError;
  expect(reasons).toContain(err.reason);
  return err;
}

describe('set A (official app XML samples)', () => {
  test('A1 GET: one URL-decode, signature, decrypt, deterministic re-encryption (pad 7)', () => {
    const q = new URLSearchParams(A1.rawQuery); // decodes once, like Koa's ctx.query
    const echostr = q.get('echostr')!;
    expect(echostr).toBe(A1.echostr);
    expect(echostr).toContain('+'); // '+' must survive the single decode
    expect(a.signature(q.get('timestamp')!, q.get('nonce')!, echostr)).toBe(q.get('msg_signature'));
    const msg = a.open({ msgSignature: q.get('msg_signature')!, timestamp: q.get('timestamp')!, nonce: q.get('nonce')!, encrypted: echostr });
    expect(msg).toBe(A1.message);
    expect(rawPlain(A.encodingAESKey, echostr).subarray(0, 16).toString()).toBe(A1.random);
    expect(padOf(rawPlain(A.encodingAESKey, echostr))).toBe(7);
    expect(a.encrypt(A1.message, Buffer.from(A1.random))).toBe(A1.echostr);
  });

  test("'+' in echostr: a second form-decode (space) breaks it cleanly", () => {
    const doubleDecoded = A1.echostr.replace(/\+/g, ' ');
    expect(a.verifySignature('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659589', '263014780', doubleDecoded)).toBe(false);
    expectFailure(() => a.decrypt(doubleDecoded), ['bad_base64']);
  });

  test('A2 POST: signature, decrypt with pad 30, deterministic re-encryption', () => {
    expect(a.signature(A2.timestamp, A2.nonce, A2.encrypted)).toBe(A2.msgSignature);
    expect(a.verifySignature(A2.msgSignature, A2.timestamp, A2.nonce, A2.encrypted)).toBe(true);
    expect(padOf(rawPlain(A.encodingAESKey, A2.encrypted))).toBe(30); // the 32-byte trap (pad > 16)
    expect(a.open(A2)).toBe(A2.message);
    expect(Buffer.byteLength(A2.message)).toBe(284);
    expect(a.encrypt(A2.message, Buffer.from(A2.random))).toBe(A2.encrypted);
  });

  test('OpenSSL auto-padding really fails on A2 (why our decrypt turns it off)', () => {
    const key = Buffer.from(`${A.encodingAESKey}=`, 'base64');
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    expect(() => Buffer.concat([d.update(Buffer.from(A2.encrypted, 'base64')), d.final()])).toThrow();
  });
});

describe('set B (official JSON-callback samples)', () => {
  test('B1 GET (pad 7)', () => {
    expect(b.signature(B1.timestamp, B1.nonce, B1.encrypted)).toBe(B1.msgSignature);
    expect(b.open(B1)).toBe(B1.message);
    expect(b.encrypt(B1.message, Buffer.from(B1.random))).toBe(B1.encrypted);
  });

  test('B2 POST (pad 10; the sample plaintext is malformed JSON, never parse it)', () => {
    expect(b.signature(B2.timestamp, B2.nonce, B2.encrypted)).toBe(B2.msgSignature);
    const msg = b.open(B2);
    expect(msg.startsWith('{ "ToUserName": "wx5823bf96d3bd56c7"')).toBe(true);
    expect(Buffer.byteLength(msg)).toBe(176);
    expect(padOf(rawPlain(B.encodingAESKey, B2.encrypted))).toBe(10);
    expect(b.encrypt(msg, Buffer.from(B2.random))).toBe(B2.encrypted);
  });
});

describe('padding', () => {
  // raw = 16 random + 4 len + msg + 18-byte receiveid; pad = 32 - raw % 32, so msg lengths 0..31 hit every pad.
  const overhead = 20 + Buffer.byteLength(A.receiveId);
  const cases = Array.from({ length: 32 }, (_, pad) => pad + 1).map((pad) => {
    const msgLen = (((32 - pad - overhead) % 32) + 32) % 32;
    return [pad, msgLen] as const;
  });

  test.each(cases)('pad %i (message of %i bytes) round-trips through both encrypt paths', (pad, msgLen) => {
    const msg = 'x'.repeat(msgLen);
    for (const enc of [a.encrypt(msg), a.encrypt(msg, randomBytes(16))]) {
      const plain = rawPlain(A.encodingAESKey, enc);
      expect(plain.length % 32).toBe(0);
      expect(padOf(plain)).toBe(pad);
      expect(a.decrypt(enc)).toBe(msg);
    }
  });

  test('plaintext already a multiple of 32 gets a full 32-byte pad', () => {
    const msg = 'y'.repeat(64 - overhead); // raw = exactly 64 bytes
    for (const enc of [a.encrypt(msg), a.encrypt(msg, randomBytes(16))]) {
      const plain = rawPlain(A.encodingAESKey, enc);
      expect(plain.length).toBe(96);
      expect(plain.subarray(64).equals(Buffer.alloc(32, 32))).toBe(true);
      expect(a.decrypt(enc)).toBe(msg);
    }
  });

  test('UTF-8 message lengths are counted in bytes', () => {
    const msg = '<xml><Content><![CDATA[已处理 ✅]]></Content></xml>';
    expect(a.decrypt(a.encrypt(msg))).toBe(msg);
  });
});

describe('rejections', () => {
  test('tampered signature, wrong length signature, non-string input', () => {
    const flipped = A2.msgSignature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(a.verifySignature(flipped, A2.timestamp, A2.nonce, A2.encrypted)).toBe(false);
    expect(a.verifySignature(A2.msgSignature.slice(1), A2.timestamp, A2.nonce, A2.encrypted)).toBe(false);
    expect(a.verifySignature(A2.msgSignature.toUpperCase(), A2.timestamp, A2.nonce, A2.encrypted)).toBe(false);
    expect(a.verifySignature(A2.msgSignature, A2.timestamp, A2.nonce, `${A2.encrypted} `)).toBe(false); // signed text is exact, never trimmed
    expect(a.verifySignature([A2.msgSignature] as unknown as string, A2.timestamp, A2.nonce, A2.encrypted)).toBe(false);
    const err = expectFailure(() => a.open({ ...A2, msgSignature: flipped }), ['bad_signature']);
    expect(err.officialCode).toBe(-40001);
    expectFailure(() => a.open({ ...A2, nonce: '1372623150' }), ['bad_signature']);
  });

  test('wrong corp id: wrong_receiver, -40005', () => {
    const other = new WeComCallbackCrypto({ ...A, receiveId: 'wwSOMEOTHERCORP' });
    expect(other.verifySignature(A2.msgSignature, A2.timestamp, A2.nonce, A2.encrypted)).toBe(true); // same token
    const err = expectFailure(() => other.open(A2), ['wrong_receiver']);
    expect(err.officialCode).toBe(-40005);
    // Prefix of the real id must not pass either.
    expectFailure(() => new WeComCallbackCrypto({ ...A, receiveId: 'wx5823bf96d3bd56c' }).decrypt(A1.echostr), ['wrong_receiver']);
  });

  test('truncated ciphertext fails with CallbackCryptoError, never a RangeError', () => {
    const bytes = Buffer.from(A2.encrypted, 'base64');
    for (let n = 0; n < bytes.length; n += 8) {
      const truncated = bytes.subarray(0, n).toString('base64');
      expectFailure(() => a.decrypt(truncated), ['bad_base64', 'bad_length', 'bad_padding']);
    }
    expectFailure(() => a.decrypt(bytes.subarray(0, 16).toString('base64')), ['bad_length']); // the library throws ERR_BUFFER_OUT_OF_BOUNDS here
    expectFailure(() => a.decrypt(A2.encrypted.slice(0, -3)), ['bad_base64']);
    expectFailure(() => a.decrypt(''), ['bad_base64']);
  });

  test('oversized msg_len is rejected, not silently truncated', () => {
    const key = Buffer.from(`${A.encodingAESKey}=`, 'base64');
    const plain = Buffer.concat([Buffer.alloc(16, 0x61), Buffer.from([0, 0, 0, 200]), Buffer.from('hi'), Buffer.from(A.receiveId)]);
    const pad = 32 - (plain.length % 32);
    const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    c.setAutoPadding(false);
    const enc = Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
    const err = expectFailure(() => a.decrypt(enc), ['bad_length']);
    expect(err.officialCode).toBe(-40008);
  });

  test('random 64-byte garbage never decrypts to a junk success', () => {
    for (let i = 0; i < 500; i++) {
      expectFailure(() => a.decrypt(randomBytes(64).toString('base64')), ['bad_padding', 'bad_length', 'wrong_receiver']);
    }
    const err = expectFailure(() => a.decrypt(Buffer.alloc(64, 0xab).toString('base64')), ['bad_padding']);
    expect(err.officialCode).toBe(-40007);
  });

  test('non-canonical base64 is refused: URL-safe alphabet, junk chars, missing padding, stray bits', () => {
    for (const bad of [
      A2.encrypted.replace(/\+/g, '-').replace(/\//g, '_'),
      `${A2.encrypted.slice(0, 8)}\n${A2.encrypted.slice(8)}`,
      A2.encrypted.replace(/=+$/, ''),
      A1.echostr.replace('qQ==', 'qR=='), // same bytes for a lenient decoder, non-zero trailing bits
    ]) {
      const err = expectFailure(() => a.decrypt(bad), ['bad_base64']);
      expect(err.officialCode).toBe(-40010);
    }
  });
});

describe('constructor and reply envelope', () => {
  test('validates the key, the token and the receiveid, without echoing them', () => {
    expect(() => new WeComCallbackCrypto({ ...A, encodingAESKey: A.encodingAESKey.slice(1) })).toThrow(/EncodingAESKey.*43/);
    expect(() => new WeComCallbackCrypto({ ...A, encodingAESKey: `${A.encodingAESKey.slice(1)}+` })).toThrow(/EncodingAESKey/);
    expect(() => new WeComCallbackCrypto({ ...A, token: '' })).toThrow(/Token/);
    expect(() => new WeComCallbackCrypto({ ...A, token: 'a'.repeat(33) })).toThrow(/Token/);
    expect(() => new WeComCallbackCrypto({ ...A, token: 'bad token' })).toThrow(/Token/);
    expect(() => new WeComCallbackCrypto({ ...A, receiveId: '' })).toThrow(/receiveId/);
    let message = '';
    try {
      new WeComCallbackCrypto({ ...A, token: 'x!secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Token/);
    expect(message).not.toContain('x!secret');
  });

  test('sealReply: encrypted passive reply envelope, signed over the new Encrypt', () => {
    const reply =
      '<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[已处理]]></ReplaceName></Button></xml>';
    const xml = a.sealReply(reply, A2.timestamp, A2.nonce);
    const m =
      /^<xml><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt><MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]><\/MsgSignature><TimeStamp>1409659813<\/TimeStamp><Nonce><!\[CDATA\[1372623149\]\]><\/Nonce><\/xml>$/.exec(
        xml,
      );
    expect(m).not.toBeNull();
    const [, encrypted, signature] = m!;
    expect(a.open({ msgSignature: signature!, timestamp: A2.timestamp, nonce: A2.nonce, encrypted: encrypted! })).toBe(reply);
    expect(() => a.sealReply(reply, '14096<x>', A2.nonce)).toThrow();
    expect(() => a.sealReply(reply, A2.timestamp, 'a]]>b')).toThrow();
  });
});
