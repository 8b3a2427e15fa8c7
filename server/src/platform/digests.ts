import { UniqueKeys } from './unique';

/** The period a digest covers: [from, to) in epoch ms, and the department it is for (with its sub-departments). */
export interface DigestScope {
  from: number;
  to: number;
  departmentId: number;
}

/**
 * One line a module contributes to the daily and weekly digests, e.g. 新订单 12, 待认领 3, 已发货 9, 处理中售后 4,
 * 即将超时 1, 已超时 0. Modules list these as `digestSections` in their index.ts; the notifications module counts
 * them for each department when a digest is due and publishes `digest.daily` / `digest.weekly`.
 */
export interface DigestSectionDef {
  /** Unique across modules: `<module>.<what>`. */
  key: string;
  /** zh-CN label as the digest shows it. */
  label: string;
  count(scope: DigestScope): Promise<number>;
}

/** Every module's digest sections, in module order; filled by composeModules. */
export class DigestRegistry {
  private readonly defs: DigestSectionDef[] = [];
  private readonly keys = new UniqueKeys('digest section');

  add(def: DigestSectionDef, module: string): void {
    this.keys.add(def.key, `module ${module}`);
    this.defs.push(def);
  }

  all(): readonly DigestSectionDef[] {
    return this.defs;
  }
}

/** `18:07` → the cron slot `7 18 * * *` (daily) or `7 18 * * 1` (Mondays), in TZ_CORP. */
export function digestCron(at: string, weekly: boolean): string {
  const [h, m] = at.split(':').map(Number) as [number, number];
  return `${m} ${h} * * ${weekly ? '1' : '*'}`;
}
