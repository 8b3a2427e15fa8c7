import type { z } from 'zod';
import { ValidationError } from '../errors';
import { readJson } from './body';
import type { AppContext } from './context';

/**
 * The JSON body checked against a zod schema: 422 validation_failed naming the first bad field
 * (`cap: Number must be less than or equal to 200`), with every issue in `details`.
 */
export async function parse<T extends z.ZodTypeAny>(schema: T, ctx: AppContext): Promise<z.infer<T>> {
  return checked(schema, await readJson(ctx));
}

/** The query string checked the same way (list filters, cursors). */
export function parseQuery<T extends z.ZodTypeAny>(schema: T, ctx: AppContext): z.infer<T> {
  return checked(schema, ctx.query);
}

function checked<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const field = first?.path.length ? `${first.path.join('.')}: ` : '';
  throw new ValidationError(first ? `${field}${first.message}` : '请求参数无效 (invalid request)', parsed.error.issues);
}

/** A path parameter as a string ('' when absent): koa-router types `ctx.params` loosely. */
export function pathParam(ctx: AppContext, name: string): string {
  const value = (ctx.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
