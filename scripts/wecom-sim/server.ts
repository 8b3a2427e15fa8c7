// startWecomSim(): a local WeCom (企业微信) for one corp and one self-built app, speaking the protocol
// of the WeCom developer docs (https://developer.work.weixin.qq.com/document/, each page cited where it is
// followed): the /cgi-bin API, OAuth / web-login pages, callback delivery and change_contact events. See README.md.
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CallbackSender, changeContactXml, memberEventFields, partyEventFields, tagEventFields, type DeliverOptions, type VerifyResult } from './callbacks';
import { apiMiddleware } from './api';
import { controlRouter } from './control';
import { demoCorp, type Corp, type Department, type DepartmentInput, type MemberInput, type MemberPatch, type TagChange } from './corp';
import { aesKeyFrom } from './crypto';
import { mediaTypeFor, type MediaType, type StoredMedia } from './media';
import { oauthRouter } from './oauth';
import { messagingApi, type WecomSimMessaging } from './sim-messaging';
import { SimState, type CodeSubject, type DeliveryResult, type Fault, type ResolvedOptions, type SimStats, type WecomSimOptions } from './state';

export type { WecomSimOptions, SimStats, DeliveryResult, CodeSubject, VerifyResult, DeliverOptions, Fault, WecomSimMessaging, MediaType, StoredMedia };

export interface WecomSim extends WecomSimMessaging {
  /** e.g. http://127.0.0.1:3100 — serves qyapi (/cgi-bin), open.weixin (/connect) and login.work (/wwlogin) paths. */
  readonly url: string;
  readonly corp: Corp;
  readonly options: Readonly<ResolvedOptions>;
  /** Live statistics (see SimStats; maxCallsInAnyMinute is per API path over a sliding 60 s window). */
  readonly stats: SimStats;
  resetStats(): void;
  /** An OAuth code as if the member (or an outsider) had signed in; single use, 5 minutes. */
  issueCode(who: CodeSubject, scope?: string): string;
  /** Invalidate one token or all live tokens; next use answers errcode (default 42001, or 40014). */
  invalidateToken(token?: string, errcode?: 40014 | 42001): number;
  /** The next `times` calls to `path` ("/cgi-bin/user/get" or "user/get") answer `errcode`. */
  failNext(path: string, errcode: number, times?: number): void;
  setCallbackUrl(url: string | undefined): void;
  /**
   * Check a JS-SDK signature the product computed against the tickets this simulator issued
   * (https://developer.work.weixin.qq.com/document/path/90506).
   */
  verifyJsSdkSignature(kind: 'jsapi' | 'agent_config', p: { noncestr: string; timestamp: string | number; url: string; signature: string }): boolean;
  /** The unexpired JS-SDK tickets of `kind` this simulator issued, oldest first (tests recompute signatures with them). */
  issuedTickets(kind: 'jsapi' | 'agent_config'): string[];
  /**
   * Store a temporary media file as media/upload would (same type, format and size checks; ApiError with its errcode
   * otherwise) and return its media_id, valid 3 days on the simulator's clock: what the JS-SDK's uploadImage gives the H5
   * as `serverId`. `type` defaults from the content type (image/* → image, audio/amr → voice, video/mp4 → video, else file).
   */
  putMedia(bytes: Buffer | Uint8Array, contentType: string, filename?: string, type?: MediaType): string;
  /** A stored media file, expired or not (for assertions). */
  media(mediaId: string): StoredMedia | undefined;
  /** Encrypt + sign the plaintext and POST the envelope to the callback URL. */
  deliver(xmlPlaintext: string, opts?: DeliverOptions): Promise<DeliveryResult[]>;
  /** GET URL verification with a random echostr (percent-encoded once). */
  verifyCallbackUrl(): Promise<VerifyResult>;
  // Contact mutations: update the model, then deliver the matching change_contact event ([] without callbackUrl).
  createUser(member: MemberInput): Promise<DeliveryResult[]>;
  updateUser(userid: string, patch: MemberPatch): Promise<DeliveryResult[]>;
  deleteUser(userid: string): Promise<DeliveryResult[]>;
  createParty(dept: DepartmentInput): Promise<DeliveryResult[]>;
  /** In the reduced form update_party fires only when parentid changes (https://developer.work.weixin.qq.com/document/path/96303). */
  updateParty(id: number, patch: Partial<Omit<Department, 'id'>>): Promise<DeliveryResult[]>;
  deleteParty(id: number): Promise<DeliveryResult[]>;
  updateTag(tagid: number, change: TagChange): Promise<DeliveryResult[]>;
  close(): Promise<void>;
}

function resolve(o: WecomSimOptions): ResolvedOptions {
  aesKeyFrom(o.callbackAesKey); // throws early on an illegal EncodingAESKey
  if (!/^[A-Za-z0-9]{1,32}$/.test(o.callbackToken)) throw new Error('callbackToken must be 1..32 letters/digits (doc 91116)');
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    corpId: o.corpId,
    agentId: String(o.agentId),
    agentSecret: o.agentSecret,
    contactSecret: o.contactSecret,
    callbackToken: o.callbackToken,
    callbackAesKey: o.callbackAesKey,
    callbackUrl: o.callbackUrl,
    latencyMs: o.latencyMs ?? 0,
    messagingLatencyMs: o.messagingLatencyMs ?? 0,
    tokenTtlSec: o.tokenTtlSec ?? 7200,
    perMinuteLimit: o.perMinuteLimit ?? 10000,
    fullEvents: o.fullEvents ?? false,
    trustedDomains: o.trustedDomains,
    now: o.now ?? Date.now,
    log: o.log ?? false,
  };
}

export async function startWecomSim(options: WecomSimOptions): Promise<WecomSim> {
  const opts = resolve(options);
  const corp = options.corp ?? demoCorp();
  const state = new SimState(opts, corp);
  const sender = new CallbackSender(state);
  const app = new Koa();
  app.proxy = false;

  const createTime = (): number => Math.floor(state.now() / 1000);
  const emit = async (changeType: string, fields: Parameters<typeof changeContactXml>[3]): Promise<DeliveryResult[]> =>
    opts.callbackUrl ? sender.deliver(changeContactXml(opts.corpId, createTime(), changeType, fields)) : [];

  let server: Server | undefined;
  let url = '';
  const sim: WecomSim = {
    ...messagingApi(state, sender, () => url),
    get url() {
      return url;
    },
    corp,
    options: opts,
    get stats() {
      return state.snapshot();
    },
    resetStats: () => state.resetStats(),
    issueCode: (who, scope) => state.issueCode(who, scope),
    invalidateToken: (token, errcode) => state.invalidateToken(token, errcode),
    failNext: (path, errcode, times = 1) => state.failNext(path, errcode, times),
    setCallbackUrl: (u) => {
      opts.callbackUrl = u;
    },
    verifyJsSdkSignature: (kind, p) => state.verifyJsSdkSignature(kind, p),
    issuedTickets: (kind) => [...state.tickets].filter(([, t]) => t.kind === kind && t.expiresAt > state.now()).map(([ticket]) => ticket),
    putMedia: (bytes, contentType, filename, type) =>
      state.media.put(type ?? mediaTypeFor(contentType), { bytes: Buffer.from(bytes), filename, contentType, truncated: false }, state.now()).mediaId,
    media: (mediaId) => state.media.peek(mediaId),
    deliver: (xml, o) => sender.deliver(xml, o),
    verifyCallbackUrl: () => sender.verifyCallbackUrl(),
    // https://developer.work.weixin.qq.com/document/path/90970, https://developer.work.weixin.qq.com/document/path/96302
    createUser: async (member) => emit('create_user', memberEventFields(corp.addMember(member), opts.fullEvents)),
    updateUser: async (userid, patch) => emit('update_user', memberEventFields(corp.updateMember(userid, patch), opts.fullEvents, userid)),
    deleteUser: async (userid) => {
      corp.removeMember(userid);
      return emit('delete_user', [['UserID', userid]]);
    },
    // https://developer.work.weixin.qq.com/document/path/90971, https://developer.work.weixin.qq.com/document/path/96303
    createParty: async (dept) => emit('create_party', partyEventFields(corp.addDepartment(dept), opts.fullEvents, true)),
    updateParty: async (id, patch) => {
      const before = corp.department(id).parentid;
      const d = corp.updateDepartment(id, patch);
      if (!opts.fullEvents && d.parentid === before) return [];
      return emit('update_party', partyEventFields(d, opts.fullEvents, false));
    },
    deleteParty: async (id) => {
      corp.removeDepartment(id);
      return emit('delete_party', [['Id', id]]);
    },
    // https://developer.work.weixin.qq.com/document/path/90972, https://developer.work.weixin.qq.com/document/path/96304
    updateTag: async (tagid, change) => emit('update_tag', tagEventFields(tagid, corp.changeTag(tagid, change))),
    close: () =>
      new Promise<void>((res, rej) => {
        if (!server) return res();
        server.close((err) => (err ? rej(err) : res()));
        server.closeAllConnections();
      }),
  };

  if (opts.log) {
    app.use(async (ctx, next) => {
      const t = Date.now();
      await next();
      console.error(`[wecom-sim] ${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - t}ms`);
    });
  }
  app.use(apiMiddleware(state));
  const oauth = oauthRouter(state);
  app.use(oauth.routes());
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
