// /__sim control endpoints for messaging (not part of WeCom): robots, card clicks, card state, app chats, latency.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { ClickRefused } from './card-click';
import { json } from './http';
import type { WecomSim } from './server';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function notFound(ctx: Context, error: string): void {
  ctx.status = 404;
  ctx.body = { ok: false, error };
}

export function addMessagingControl(r: Router, sim: WecomSim): void {
  r.post('/robots', async (ctx) => {
    ctx.body = { ok: true, ...sim.createRobot(str((await json(ctx))['name'])) };
  });
  r.get('/robots', (ctx) => {
    ctx.body = { robots: sim.robots().map((rb) => ({ ...rb, messages: sim.robotMessages(rb.key).length })) };
  });
  // {userid, taskId, key, times?}: the member clicks a card button; 409 when the client would not let them.
  r.post('/click', async (ctx) => {
    const b = await json(ctx);
    try {
      const res = await sim.clickCard(str(b['userid']), str(b['taskId']), str(b['key']), { times: num(b['times']) ?? 1 });
      ctx.body = { ok: true, ...res };
    } catch (err) {
      if (!(err instanceof ClickRefused)) throw err;
      ctx.status = 409;
      ctx.body = { ok: false, error: err.message };
    }
  });
  r.get('/cards/:taskId', (ctx) => {
    const card = sim.card(ctx.params['taskId']!);
    if (!card) return notFound(ctx, 'unknown task_id');
    ctx.body = card;
  });
  r.get('/appchats/:chatid', (ctx) => {
    const chat = sim.appchat(ctx.params['chatid']!);
    if (!chat) return notFound(ctx, 'unknown chatid');
    ctx.body = { chat, messages: sim.appchatMessages(chat.chatid) };
  });
  r.post('/latency', async (ctx) => {
    const b = await json(ctx);
    sim.setLatency({ latencyMs: num(b['latencyMs']), messagingLatencyMs: num(b['messagingLatencyMs']) });
    ctx.body = { ok: true, latencyMs: sim.options.latencyMs, messagingLatencyMs: sim.options.messagingLatencyMs };
  });
}
