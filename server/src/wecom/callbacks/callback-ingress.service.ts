import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import { AppError } from '../../errors';
import { CallbackCryptoError, type WeComCallbackCrypto } from '../crypto/callback-crypto';
import { CallbackXmlError, extractEncrypt, parseCallbackXml } from '../crypto/callback-xml';
import { dedupeKey } from './dedupe-key';
import { wecomStreamKey, wecomType } from './inbox-keys';
import { InboxWriter } from './inbox-writer';

export interface SignedQuery {
  msg_signature?: unknown;
  timestamp?: unknown;
  nonce?: unknown;
  echostr?: unknown;
}

/** Why a callback was refused; maps to a 4xx and a warning, never to a stored row. */
export class CallbackRejected extends AppError {}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Callback ingress (URL verification https://developer.work.weixin.qq.com/document/path/90930, delivery
 * https://developer.work.weixin.qq.com/document/path/90238): verify → decrypt → check receiveid == CorpID → parse →
 * insert into the durable inbox (group-committed by InboxWriter), all before the empty 200, so nothing acknowledged can
 * be lost. The work itself happens in the InboxWorker.
 */
export class CallbackIngressService {
  private readonly writer: InboxWriter;

  constructor(
    ds: DataSource,
    private readonly crypto: WeComCallbackCrypto,
    private readonly logger: Logger,
    private readonly onStored: () => void = () => {},
  ) {
    this.writer = new InboxWriter(ds);
  }

  /** GET: answer the decrypted echostr. The query was URL-decoded exactly once by Koa. */
  verifyUrl(q: SignedQuery): string {
    return this.open(q, str(q.echostr));
  }

  /** POST: store the event. Returns false when it was a duplicate of one already stored. */
  async receive(q: SignedQuery, body: string): Promise<boolean> {
    let encrypted: string;
    try {
      encrypted = extractEncrypt(body);
    } catch (err) {
      throw this.reject(err);
    }
    const plaintext = this.open(q, encrypted);
    let fields;
    try {
      fields = parseCallbackXml(plaintext);
    } catch (err) {
      throw this.reject(err);
    }
    const stored = await this.writer.write({
      source: 'wecom',
      type: wecomType(fields),
      streamKey: wecomStreamKey(fields),
      dedupeKey: dedupeKey(fields, plaintext),
      msgType: (fields.MsgType ?? '').slice(0, 32),
      event: (fields.Event ?? '').slice(0, 64),
      changeType: fields.ChangeType?.slice(0, 64) ?? null,
      payload: plaintext,
    });
    if (stored) this.onStored();
    this.logger.debug({ event: fields.Event, changeType: fields.ChangeType, duplicate: !stored }, 'callback stored');
    return stored;
  }

  private open(q: SignedQuery, encrypted: string): string {
    try {
      return this.crypto.open({ msgSignature: str(q.msg_signature), timestamp: str(q.timestamp), nonce: str(q.nonce), encrypted });
    } catch (err) {
      throw this.reject(err);
    }
  }

  private reject(err: unknown): Error {
    if (err instanceof CallbackCryptoError) {
      const status = err.reason === 'bad_signature' ? 401 : err.reason === 'wrong_receiver' ? 403 : 400;
      this.logger.warn({ reason: err.reason, code: err.officialCode }, 'callback refused');
      return new CallbackRejected(status, `callback_${err.reason}`, `回调校验失败: ${err.reason}`);
    }
    if (err instanceof CallbackXmlError) {
      this.logger.warn({ reason: err.reason }, 'callback refused');
      return new CallbackRejected(400, `callback_${err.reason}`, `回调报文无效: ${err.reason}`);
    }
    return err as Error;
  }
}
