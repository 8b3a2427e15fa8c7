import type Koa from 'koa';
import { BadRequestError, PayloadTooLargeError } from '../errors';

/**
 * Read the raw body with a hard cap, rejecting early on Content-Length (doc section 2.6 rule 9:
 * callback envelopes are small; an unbounded read is a memory DoS).
 */
export async function readRawBody(ctx: Koa.Context, limitBytes: number): Promise<string> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw new PayloadTooLargeError(`body larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      ctx.req.destroy();
      throw new PayloadTooLargeError(`body larger than ${limitBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
