// Small Koa/HTTP helpers (no body-parser dependency), kept local so the simulator imports nothing from server/ or
// from the WeCom simulator.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export async function readRawBody(req: IncomingMessage, limitBytes = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type Query = Record<string, string | string[] | undefined>;

/** First value of a query parameter (Koa gives string | string[]). */
export function q(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Lowercase hex of `bytes` random bytes: request ids, tokens, codes and msg_ids all look like this in Shopee's samples. */
export const randomHex = (bytes = 16): string => randomBytes(bytes).toString('hex');

/** Append `params` to `url`, with `&` when it already has a query (the product's redirect carries `?state=…`). */
export function appendQuery(url: string, params: Record<string, string | number>): string {
  const qs = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const [base, hash] = url.split('#', 2) as [string, string | undefined];
  const joined = `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${qs}`;
  return hash === undefined ? joined : `${joined}#${hash}`;
}
