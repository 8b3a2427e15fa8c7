import { ROLE_KEYS, type RoleKey } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import type { DomainEvent, EventCatalogue } from '../../platform/events';
import { formatValue } from '../notifications/templates';

/**
 * Checks of action params shared by every module's actions (the action's own `check` calls them): each throws a
 * ValidationError naming `params.<name>`.
 */
export const param = {
  text(params: Record<string, unknown>, name: string, max = 500, optional = false): string | null {
    const value = params[name];
    if ((value === undefined || value === null || value === '') && optional) return null;
    if (typeof value !== 'string' || !value.trim()) throw new ValidationError(`请填写 ${name} (params.${name} is required)`, { field: `params.${name}` });
    if ([...value].length > max) throw new ValidationError(`${name} 最长 ${max} 个字 (params.${name} is too long)`, { field: `params.${name}` });
    return value.trim();
  },
  int(params: Record<string, unknown>, name: string, min: number, max: number, fallback?: number): number {
    const value = params[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new ValidationError(`${name} 应为 ${min}–${max} 的整数 (params.${name} must be an integer ${min}–${max})`, { field: `params.${name}` });
    return value;
  },
  strings(params: Record<string, unknown>, name: string, max = 50): string[] {
    const value = params[name] ?? [];
    if (!Array.isArray(value) || value.length > max || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 64))
      throw new ValidationError(`${name} 应为账号列表 (params.${name} must be a list of ids)`, { field: `params.${name}` });
    return [...new Set(value as string[])];
  },
  roles(params: Record<string, unknown>, name: string): RoleKey[] {
    const value = param.strings(params, name, ROLE_KEYS.length);
    const bad = value.find((v) => !(ROLE_KEYS as readonly string[]).includes(v));
    if (bad) throw new ValidationError(`未知角色 ${bad} (unknown role)`, { field: `params.${name}` });
    return value as RoleKey[];
  },
};

/**
 * `{field}` placeholders of a rule's text filled from the event (times in the corp's zone); a name the event does not
 * have stays as written, so a rule text never fails a run.
 */
export function fillText(text: string, event: DomainEvent, catalogue: EventCatalogue, timeZone: string): string {
  const def = catalogue.get(event.type);
  return text.replace(/\{([a-z][a-z0-9_]*)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(event.payload, name)) return whole;
    return formatValue(def?.fields[name]?.type ?? 'string', event.payload[name], timeZone);
  });
}
