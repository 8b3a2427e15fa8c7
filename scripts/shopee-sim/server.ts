// startShopeeSim(): a local Shopee Open Platform v2 for one partner (app) and any number of shops, speaking the
// protocol of https://open.shopee.com (developer guide and API reference, cited per file): signed /api/v2 calls,
// shop authorization and tokens, orders and logistics, returns, and signed pushes with Shopee's retry and lost-push
// rules. See README.md.
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTH_PARTNER_PATH } from './auth-page';
import type { RefreshStats } from './auth-store';
import { controlRouter } from './control';
import { apiMiddleware } from './gateway';
import { appendQuery } from './http';
import type { LostPush } from './lost-push';
import { resolveOptions, type ResolvedOptions, type ShopeeSimOptions } from './options';
import type { OrderInput } from './order-factory';
import type { Order, OrderStatus } from './orders';
import { OrderStreams, type OrderStreamOptions } from './order-stream';
import type { PushMessage } from './push-payloads';
import type { PushAttempt, PushFaults } from './push-sender';
import type { Return, ReturnInput, ReturnSolution, ReturnStatus } from './returns';
import type { Shop, ShopInput } from './shops';
import { apiSign, baseString } from './signing';
import { SimState } from './state';

export interface ShopeeSim {
  /** e.g. http://127.0.0.1:3200 — use it as the Shopee host (partner.shopeemobile.com). */
  readonly url: string;
  readonly options: Readonly<ResolvedOptions>;
  /** Unix seconds on the simulator's clock (timestamps, token and code lifetimes are judged by it). */
  now(): number;
  /** Move the simulator's clock forward (due tracking numbers are assigned). */
  advance(seconds: number): void;

  addShop(input: ShopInput): Shop;
  shops(): Shop[];
  shop(shopId: number): Shop | undefined;
  /** A signed auth_partner link, as the product would build it. */
  authorizationUrl(redirect: string): string;
  /** A code as if the seller had authorized `shopId` on the auth page (10 minutes, single use). */
  issueAuthCode(shopId: number): string;
  /** Expire the shop's live access tokens now; returns how many there were. */
  expireAccessTokens(shopId: number): number;
  /** The next successful refresh for the shop happens, but its answer is lost (connection reset, or a 502 page). */
  loseNextRefreshResponse(shopId: number, how?: 'reset' | '502'): void;
  refreshStats(shopId: number): RefreshStats;

  /** Create an order (default READY_TO_SHIP) and push code 3. Returns a copy. */
  createOrder(shopId: number, partial?: OrderInput): Order;
  order(orderSn: string): Order | undefined;
  orders(shopId?: number): Order[];
  /** Move an order (Shopee's transitions unless force), bump update_time, push code 3. */
  setOrderStatus(orderSn: string, status: OrderStatus, opts?: { force?: boolean; cancelBy?: 'buyer' | 'seller' | 'system'; reason?: string }): Order;
  /** Delay between ship_order and the 3PL's tracking number (and push code 4). */
  setTrackingDelay(ms: number): void;

  /**
   * The buyer raises a return (REQUESTED, push code 29) on an order that is SHIPPED or TO_CONFIRM_RECEIVE (the order
   * moves to TO_RETURN, push code 3), COMPLETED (RRAOC) or already TO_RETURN. Returns a copy.
   */
  createReturn(orderSn: string, partial?: ReturnInput): Return;
  return(returnSn: string): Return | undefined;
  returns(shopId?: number): Return[];
  /** Move a return (the simulator's transitions unless force), bump update_time, push code 29. */
  setReturnStatus(returnSn: string, status: ReturnStatus, opts?: { force?: boolean }): Return;
  /** The next confirm / offer / accept_offer / dispute on the return answers {error, message} (HTTP 200), once. */
  failNextReturnAction(returnSn: string, error: string, message: string): void;
  /** The buyer answers the seller's offer (v2.returns.offer): accept, reject, or counter. Push code 29. */
  buyerRespondToOffer(returnSn: string, answer: 'accept' | 'reject' | { solution: ReturnSolution; amount: number }): Return;
  /** The returned parcel moves one step (PROCESSING return & refund); LOGISTICS_REQUEST_CREATED brings a tracking number. */
  advanceReturnLogistics(returnSn: string): Return;

  setPushUrl(url: string | undefined): void;
  /** Fault injection for the next pushes: a count, or {probability}; 0 clears one kind. */
  pushFaults(faults: PushFaults): void;
  clearPushFaults(): void;
  /** Every push attempt so far, in order (dropped ones too). */
  readonly pushes: readonly PushAttempt[];
  /** Send a push held back by the reorder fault now. */
  releaseHeldPush(): void;
  /** Resolves when no push delivery is in flight (scheduled retries are not awaited). */
  settled(): Promise<void>;
  /** Everything ever put in the lost-push store (confirmed ones included). */
  lostPushes(): readonly LostPush[];
  /** Push code 12 for shops whose authorization ends within 7 days; undefined when none. */
  sendAuthorizationExpiryPush(): PushMessage | undefined;

  startOrderStream(shopId: number, opts?: OrderStreamOptions): void;
  stopOrderStream(shopId?: number): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export type { ShopeeSimOptions, ResolvedOptions };

const copy = <T>(v: T): T => structuredClone(v);

export async function startShopeeSim(options: ShopeeSimOptions): Promise<ShopeeSim> {
  const opts = resolveOptions(options);
  const state = new SimState(opts);
  const streams = new OrderStreams(state);
  const app = new Koa();
  app.proxy = false;
  let server: Server | undefined;
  let url = '';

  const sim: ShopeeSim = {
    get url() {
      return url;
    },
    options: opts,
    now: () => state.clock.now(),
    advance: (seconds) => state.clock.advance(seconds),
    addShop: (input) => copy(state.addShop(input)),
    shops: () => [...state.shops.values()].map(copy),
    shop: (shopId) => {
      const s = state.shops.get(shopId);
      return s && copy(s);
    },
    authorizationUrl: (redirect) => {
      const ts = state.clock.now();
      const sign = apiSign(opts.partnerKey, baseString(opts.partnerId, AUTH_PARTNER_PATH, ts));
      return appendQuery(`${url}${AUTH_PARTNER_PATH}`, { partner_id: opts.partnerId, timestamp: ts, sign, redirect });
    },
    issueAuthCode: (shopId) => state.auth.issueCode(state.shop(shopId).shopId),
    expireAccessTokens: (shopId) => state.auth.expireAccessTokens(shopId),
    loseNextRefreshResponse: (shopId, how = 'reset') => {
      state.loseRefresh.set(state.shop(shopId).shopId, how);
    },
    refreshStats: (shopId) => ({ ...state.auth.stats(shopId) }),
    createOrder: (shopId, partial) => copy(state.createOrder(shopId, partial)),
    order: (orderSn) => {
      const o = state.orders.get(orderSn);
      return o && copy(o);
    },
    orders: (shopId) => [...state.orders.values()].filter((o) => shopId === undefined || o.shopId === shopId).map(copy),
    setOrderStatus: (orderSn, status, o) => copy(state.setOrderStatus(orderSn, status, o)),
    setTrackingDelay: (ms) => {
      opts.trackingDelayMs = ms;
    },
    createReturn: (orderSn, partial) => copy(state.createReturn(orderSn, partial)),
    return: (returnSn) => {
      const r = state.returns.get(returnSn);
      return r && copy(r);
    },
    returns: (shopId) => [...state.returns.values()].filter((r) => shopId === undefined || r.shopId === shopId).map(copy),
    setReturnStatus: (returnSn, status, o) => copy(state.moveReturn(returnSn, status, o)),
    failNextReturnAction: (returnSn, error, message) => {
      state.ret(returnSn);
      if (!error) throw new Error('failNextReturnAction needs an error name');
      state.returnFailures.set(returnSn, { error, message });
    },
    buyerRespondToOffer: (returnSn, answer) => copy(state.buyerRespondToOffer(returnSn, answer)),
    advanceReturnLogistics: (returnSn) => copy(state.advanceReturnLogistics(returnSn)),
    setPushUrl: (u) => {
      opts.pushUrl = u;
    },
    pushFaults: (f) => state.pushes.setFaults(f),
    clearPushFaults: () => state.pushes.clearFaults(),
    get pushes() {
      return state.pushes.attempts;
    },
    releaseHeldPush: () => state.pushes.releaseHeld(),
    settled: () => state.pushes.settled(),
    lostPushes: () => state.lost.all(),
    sendAuthorizationExpiryPush: () => state.sendAuthorizationExpiryPush(),
    startOrderStream: (shopId, o) => streams.start(shopId, o),
    stopOrderStream: (shopId) => streams.stop(shopId),
    setLatency: (ms) => {
      opts.latencyMs = ms;
    },
    close: async () => {
      streams.stop();
      state.close();
      await new Promise<void>((res, rej) => {
        if (!server) return res();
        server.close((err) => (err ? rej(err) : res()));
        server.closeAllConnections();
      });
    },
  };

  app.use(apiMiddleware(state));
  const control = controlRouter(sim);
  app.use(control.routes()).use(control.allowedMethods());

  await new Promise<void>((res, rej) => {
    server = app.listen(opts.port, opts.host, () => res());
    server.once('error', rej);
  });
  const addr = server!.address() as AddressInfo;
  opts.port = addr.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  url = `http://${host}:${addr.port}`;
  return sim;
}
