// Typed reads of untrusted JSON request bodies, and the UTF-8 byte limits WeCom states for message fields
// ("字节" limits count UTF-8 bytes, so a Chinese character is 3 bytes: https://developer.work.weixin.qq.com/document/path/90236).
import { ApiError } from './errors';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** body[key] as an object, or undefined. */
export const objectAt = (o: Json, key: string): Json | undefined => {
  const v = o[key];
  return isObject(v) ? v : undefined;
};

/** body[key] as a string, or undefined (numbers are accepted and stringified, as WeCom accepts "1000002" and 1000002). */
export const stringAt = (o: Json, key: string): string | undefined => {
  const v = o[key];
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
};

/** body[key] as an array of strings/numbers (stringified); undefined when absent; 40058 when it is not such an array. */
export function stringListAt(o: Json, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' || typeof x === 'number')) throw new ApiError(40058, `${key} must be an array`);
  return v.map((x) => String(x));
}

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** 40058 "<field> exceed max length <max>" when `value` has more than `max` UTF-8 bytes (the wording of WeCom's own answers). */
export function checkBytes(field: string, value: string, max: number): void {
  if (utf8Bytes(value) > max) throw new ApiError(40058, `${field} exceed max length ${max}`);
}

/** A required non-empty string field; `errcode` when missing (WeCom has dedicated "missing X" codes, e.g. 41016 title). */
export function requireString(o: Json, key: string, field: string, errcode = 40058): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new ApiError(errcode, `${field} missing`);
  return v;
}
