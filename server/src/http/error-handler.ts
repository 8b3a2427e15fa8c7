import type Koa from 'koa';
import { AppError } from '../errors';
import type { Logger } from '../lib/logger';
import type { ApiErrorBody } from '@shopcrew/shared';

/**
 * The one try/catch at the top of the chain (https://github.com/koajs/koa/blob/master/docs/error-handling.md): AppErrors render as
 * {error:{code,message}} with their status; anything else is a masked 500 and is logged.
 * 4xx stay quiet in the logs.
 */
export function errorHandler(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && isApiPath(ctx.path)) {
        throw new AppError(404, 'not_found', `没有这个接口: ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const requestId = ctx.state.requestId as string | undefined;
      const body: ApiErrorBody = { error: { code: 'internal_error', message: '服务器内部错误，请稍后重试', requestId } };
      if (err instanceof AppError) {
        ctx.status = err.status;
        body.error.code = err.code;
        body.error.message = err.message;
        if (err.details !== undefined) body.error.details = err.details;
        if (err.status >= 500) logger.error({ err, requestId }, 'request failed');
      } else if (isHttpError(err) && err.status < 500) {
        ctx.status = err.status;
        body.error.code = err.code ?? 'bad_request';
        body.error.message = err.message;
      } else {
        ctx.status = 500;
        logger.error({ err, requestId, path: ctx.path }, 'unhandled error');
      }
      ctx.set('Cache-Control', 'no-store');
      ctx.body = body;
    }
  };
}

function isHttpError(err: unknown): err is { status: number; message: string; code?: string } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

export const isApiPath = (path: string): boolean => path.startsWith('/api/') || path === '/api' || path.startsWith('/auth/') || path.startsWith('/wecom/');
