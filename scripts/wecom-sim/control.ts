// /__sim/* JSON control endpoints, so another process (e2e runner, demo script) can drive the simulator.
// Not part of WeCom. Mutations answer {ok: true, deliveries: [{status, body}]} ([] when no callbackUrl);
// model errors answer 400 {ok: false, errcode, error}.
import Router from '@koa/router';
import type { Context } from 'koa';
import { addContactsPage } from './contacts-page';
import { CorpError, type DepartmentInput, type MemberInput } from './corp';
import { ApiError } from './errors';
import { json, q, readRawBytes } from './http';
import { addInboxPages } from './inbox-page';
import { addMessagingControl } from './messaging-control';
import type { WecomSim } from './server';
import { isMediaType, MAX_UPLOAD_BYTES } from './media';
import type { Fault } from './state';

export function controlRouter(sim: WecomSim): Router {
  const r = new Router({ prefix: '/__sim' });
  r.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = 400;
      ctx.body = { ok: false, errcode: err instanceof CorpError || err instanceof ApiError ? err.errcode : undefined, error: (err as Error).message };
    }
  });
  const id = (ctx: Context & { params: Record<string, string> }): number => Number(ctx.params['id']);
  const tagid = (ctx: Context & { params: Record<string, string> }): number => Number(ctx.params['tagid']);

  r.get('/health', (ctx) => {
    ctx.body = { ok: true, url: sim.url, corpId: sim.options.corpId, agentId: sim.options.agentId };
  });
  r.get('/stats', (ctx) => {
    ctx.body = sim.stats;
  });
  r.post('/reset-stats', (ctx) => {
    sim.resetStats();
    ctx.body = { ok: true };
  });
  r.get('/corp', (ctx) => {
    ctx.body = { departments: [...sim.corp.departments.values()], members: [...sim.corp.members.values()], tags: [...sim.corp.tags.values()] };
  });
  r.post('/users', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.createUser((await json(ctx)) as MemberInput) };
  });
  r.patch('/users/:userid', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.updateUser(ctx.params['userid']!, await json(ctx)) };
  });
  r.delete('/users/:userid', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.deleteUser(ctx.params['userid']!) };
  });
  r.post('/parties', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.createParty((await json(ctx)) as DepartmentInput) };
  });
  r.patch('/parties/:id', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.updateParty(id(ctx), await json(ctx)) };
  });
  r.delete('/parties/:id', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.deleteParty(id(ctx)) };
  });
  r.post('/tags/:tagid', async (ctx) => {
    ctx.body = { ok: true, deliveries: await sim.updateTag(tagid(ctx), await json(ctx)) };
  });
  r.post('/deliver', async (ctx) => {
    const b = await json(ctx);
    if (typeof b['xml'] !== 'string') throw new Error('body.xml (plaintext XML) required');
    ctx.body = { ok: true, deliveries: await sim.deliver(b['xml'], { times: typeof b['times'] === 'number' ? b['times'] : 1 }) };
  });
  r.post('/verify-callback', async (ctx) => {
    ctx.body = { ok: true, result: await sim.verifyCallbackUrl() };
  });
  r.post('/callback-url', async (ctx) => {
    const b = await json(ctx);
    sim.setCallbackUrl(typeof b['url'] === 'string' ? b['url'] : undefined);
    ctx.body = { ok: true, callbackUrl: sim.options.callbackUrl ?? null };
  });
  r.post('/invalidate-token', async (ctx) => {
    const b = await json(ctx);
    const errcode = b['errcode'] === 40014 ? 40014 : 42001;
    ctx.body = { ok: true, invalidated: sim.invalidateToken(typeof b['token'] === 'string' ? b['token'] : undefined, errcode) };
  });
  // {path, errcode?, httpStatus?, delayMs?, times?}: errcode body, bare HTTP status (non-JSON body) and/or a delay.
  r.post('/fail-next', async (ctx) => {
    const b = await json(ctx);
    const num = (k: string): number | undefined => (typeof b[k] === 'number' ? b[k] : undefined);
    const fault: Fault = { errcode: num('errcode'), httpStatus: num('httpStatus'), delayMs: num('delayMs') };
    if (typeof b['path'] !== 'string' || Object.values(fault).every((v) => v === undefined)) {
      throw new Error('body {path, errcode? | httpStatus? | delayMs?, times?} required');
    }
    sim.injectFault(b['path'], fault, num('times') ?? 1);
    ctx.body = { ok: true };
  });
  r.post('/codes', async (ctx) => {
    const b = await json(ctx);
    const who = b['outsider'] === true ? ({ outsider: true } as const) : typeof b['userid'] === 'string' ? b['userid'] : '';
    ctx.body = { ok: true, code: sim.issueCode(who, typeof b['scope'] === 'string' ? b['scope'] : undefined) };
  });
  // The raw body is the file, its Content-Type the file's; ?type= (default from the content type) and ?filename=.
  r.post('/media', async (ctx) => {
    const type = q(ctx.query, 'type');
    if (type !== undefined && !isMediaType(type)) throw new ApiError(40005);
    const bytes = await readRawBytes(ctx.req, MAX_UPLOAD_BYTES);
    const mediaId = sim.putMedia(bytes, ctx.get('content-type') || 'application/octet-stream', q(ctx.query, 'filename'), type);
    const rec = sim.media(mediaId)!;
    ctx.body = { ok: true, type: rec.type, media_id: mediaId, created_at: String(Math.floor(rec.createdAt / 1000)) };
  });
  addMessagingControl(r, sim);
  addInboxPages(r, sim);
  addContactsPage(r, sim);
  return r;
}
