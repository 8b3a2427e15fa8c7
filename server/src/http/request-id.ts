import type Koa from 'koa';
import { randomUUID } from 'node:crypto';

/** Gives every request an id (echoed as X-Request-Id) that the audit log and error bodies carry. */
export function requestId(): Koa.Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const id = /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
