// Shared helpers for the Shopee simulator tests: a sim on port 0, signed calls made the way a client following
// https://open.shopee.com/developer-guide/16 makes them (global fetch), and a stand-in for the product's push endpoint.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startShopeeSim, type ShopeeSim, type ShopeeSimOptions } from '../../../scripts/shopee-sim';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const PARTNER = { partnerId: 2001887, partnerKey: 'shpk-test-4c6d5a7a4d6469566c446b6458' };

/** Written out here rather than imported, so a mistake in the simulator's signing cannot cancel itself out. */
export const sign = (key: string, base: string): string => createHmac('sha256', key).update(base).digest('hex');

export const startTestSim = (extra: Partial<ShopeeSimOptions> = {}): Promise<ShopeeSim> => startShopeeSim({ ...PARTNER, port: 0, ...extra });

export interface Reply {
  status: number;
  body: Json;
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

export interface ShopCreds {
  shopId: number;
  accessToken: string;
  refreshToken: string;
}

/** Signed calls against one simulator. `ts` overrides the timestamp (default: the simulator's clock). */
export function client(sim: ShopeeSim) {
  const commonQuery = (path: string, ts: number, shop?: ShopCreds): URLSearchParams => {
    const base = `${PARTNER.partnerId}${path}${ts}${shop ? `${shop.accessToken}${shop.shopId}` : ''}`;
    const p = new URLSearchParams({ partner_id: String(PARTNER.partnerId), timestamp: String(ts), sign: sign(PARTNER.partnerKey, base) });
    if (shop) {
      p.set('access_token', shop.accessToken);
      p.set('shop_id', String(shop.shopId));
    }
    return p;
  };
  const get = async (path: string, query: Record<string, string | number> = {}, shop?: ShopCreds, ts = sim.now()): Promise<Reply> => {
    const p = commonQuery(path, ts, shop);
    for (const [k, v] of Object.entries(query)) p.set(k, String(v));
    return reply(await fetch(`${sim.url}${path}?${p.toString()}`));
  };
  const post = async (path: string, body: unknown, shop?: ShopCreds, ts = sim.now()): Promise<Reply> =>
    reply(
      await fetch(`${sim.url}${path}?${commonQuery(path, ts, shop).toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  return {
    get,
    post,
    /** auth/token/get with a code from sim.issueAuthCode. */
    async link(shopId: number): Promise<ShopCreds> {
      const r = await post('/api/v2/auth/token/get', { code: sim.issueAuthCode(shopId), partner_id: PARTNER.partnerId, shop_id: shopId });
      if (r.body['error'] !== '') throw new Error(`token/get failed: ${JSON.stringify(r.body)}`);
      return { shopId, accessToken: r.body['access_token'], refreshToken: r.body['refresh_token'] };
    },
    refresh: (shopId: number, refreshToken: string): Promise<Reply> =>
      post('/api/v2/auth/access_token/get', { refresh_token: refreshToken, partner_id: PARTNER.partnerId, shop_id: shopId }),
  };
}

export interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A stand-in for the product's push endpoint; `handle` answers (default: 204, empty body). */
export async function receiver(
  handle: (r: Received, res: ServerResponse) => void = (_r, res) => {
    res.statusCode = 204;
    res.end();
  },
): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      got.push(r);
      handle(r, res);
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/shopee/push?env=test`,
    got,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}

export async function waitFor(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A Unix-seconds value set a moment ago: `expected` was computed from sim.now() after the fact, and the simulator's
 * clock is real time, so the value may be a second or two behind it.
 */
export function secondsAgo(expected: number, slack = 2): number {
  const matcher = { asymmetricMatch: (x: unknown) => typeof x === 'number' && x <= expected && x >= expected - slack, toString: () => `about ${expected}` };
  return matcher as unknown as number;
}
