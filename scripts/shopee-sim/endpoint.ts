// The shape of one simulated /api/v2 endpoint and the typed access to its request parameters. GET endpoints read
// their request parameters from the query string, POST endpoints from the JSON body
// (https://open.shopee.com/developer-guide/16 "API calling process").
import type { Context } from 'koa';
import { wrongParam } from './errors';
import type { Query } from './http';
import type { ApiType } from './signing';
import type { Shop } from './shops';
import type { SimState } from './state';

export interface ApiCall {
  state: SimState;
  ctx: Context;
  query: Query;
  /** Request parameters: the query for GET, the JSON body for POST. */
  params: Record<string, unknown>;
  /** The calling shop (Shop APIs only), after the access_token check. */
  shop?: Shop;
  /** Perform the call but keep its answer from the caller: reset the connection, or answer 502 from a "proxy". */
  loseAnswer(how: 'reset' | '502'): void;
}

export interface Endpoint {
  method: 'GET' | 'POST';
  type: ApiType;
  /** The fields that go next to request_id / error / message (usually `{ response: … }`). */
  handler: (call: ApiCall) => Record<string, unknown>;
}

function raw(params: Record<string, unknown>, name: string): unknown {
  const v = params[name];
  return Array.isArray(v) ? (v[0] as unknown) : v;
}

export function optString(params: Record<string, unknown>, name: string): string | undefined {
  const v = raw(params, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw wrongParam(`${name} should be a string`);
}

export function reqString(params: Record<string, unknown>, name: string): string {
  const v = optString(params, name);
  if (v === undefined) throw wrongParam(`${name} is required`);
  return v;
}

/** An integer from a JSON number or a decimal string (query parameters are strings). */
export function optInt(params: Record<string, unknown>, name: string): number | undefined {
  const v = raw(params, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v)) return Number(v);
  throw wrongParam(`${name} should be an integer`);
}

export function reqInt(params: Record<string, unknown>, name: string): number {
  const v = optInt(params, name);
  if (v === undefined) throw wrongParam(`${name} is required`);
  return v;
}

/** A number from a JSON number or a decimal string. */
export function optNumber(params: Record<string, unknown>, name: string): number | undefined {
  const v = raw(params, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  throw wrongParam(`${name} should be a number`);
}

export function optObject(params: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw wrongParam(`${name} should be an object`);
  return v as Record<string, unknown>;
}

/** A comma-separated list parameter ("order_sn_list", "response_optional_fields"), trimmed, empties dropped. */
export function commaList(params: Record<string, unknown>, name: string): string[] {
  const v = optString(params, name);
  return v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}
