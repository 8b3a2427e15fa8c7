import type Koa from 'koa';
import { BadRequestError, PayloadTooLargeError } from '../errors';

/**
 * How much of an oversized body is read (and thrown away) before answering 413. Reading it lets the
 * client, which is still uploading, receive the 413 instead of a connection reset; past this much
 * the connection is closed after the answer.
 */
const DISCARD_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Read the raw body with a hard cap (WeCom callback envelopes are small, https://developer.work.weixin.qq.com/document/path/90238;
 * an unbounded read is a memory DoS). Over the cap, declared by Content-Length or found while reading a
 * chunked body, the answer is the same 413 `{error}`: the rest of the body is discarded unread, up
 * to DISCARD_LIMIT_BYTES, and the connection is closed afterwards.
 */
export async function readRawBody(ctx: Koa.Context, limitBytes: number): Promise<string> {
  const declared = Number(ctx.get('content-length') || 0);
  const { body, size } = await collect(ctx.req, declared > limitBytes ? 0 : limitBytes);
  if (body) return body.toString('utf8');
  ctx.set('Connection', 'close');
  throw new PayloadTooLargeError(`请求体超过 ${limitBytes} 字节 (body larger than ${limitBytes} bytes)`, { limitBytes, received: size });
}

/**
 * Reads the whole stream; keeps it only while it fits in keepBytes (else body is null). Events, not
 * `for await`: leaving an async iterator early destroys the request, and with it the socket the
 * 413 must go out on. Past DISCARD_LIMIT_BYTES it stops reading altogether.
 */
function collect(req: Koa.Context['req'], keepBytes: number): Promise<{ body: Buffer | null; size: number }> {
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve({ body: Buffer.alloc(0), size: 0 });
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | null) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve({ body, size });
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= keepBytes) chunks.push(chunk);
      else if (size > DISCARD_LIMIT_BYTES) {
        req.pause();
        done(null);
      }
    };
    const onEnd = () => done(size <= keepBytes ? Buffer.concat(chunks) : null);
    const onError = (err: Error) => {
      req.off('data', onData).off('end', onEnd);
      reject(err);
    };
    req.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

/** Parse a small JSON body (API writes). */
export async function readJson(ctx: Koa.Context, limitBytes = 64 * 1024): Promise<unknown> {
  const raw = await readRawBody(ctx, limitBytes);
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new BadRequestError('请求体不是有效的 JSON (body is not valid JSON)', undefined, 'invalid_json');
  }
}
