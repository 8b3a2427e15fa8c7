// Small Koa helpers (no body-parser dependency).
import type { Context } from 'koa';
import type { IncomingMessage } from 'node:http';
import { CorpError } from './corp';

export async function readRawBytes(req: IncomingMessage, limitBytes = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readRawBody(req: IncomingMessage, limitBytes = 1 << 20): Promise<string> {
  return (await readRawBytes(req, limitBytes)).toString('utf8');
}

/** First value of a query parameter (Koa gives string | string[]). */
export function q(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function clientIp(ip: string): string {
  return ip.replace(/^::ffff:/, '') || '127.0.0.1';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A control-API JSON object body ({} when empty); 400 via the router's handler otherwise. */
export async function json(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRawBody(ctx.req);
  if (!raw.trim()) return {};
  const v: unknown = JSON.parse(raw);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new CorpError(47001, 'JSON object expected');
  return v as Record<string, unknown>;
}
