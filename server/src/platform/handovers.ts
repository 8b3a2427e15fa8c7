import type { HandoverItem } from '@shopcrew/shared';
import type { Tx } from './tx';
import { UniqueKeys } from './unique';

/** Who is leaving and where their work goes when no assignment rule takes it. */
export interface HandoverInput {
  /** The member who was removed or left their department. */
  userid: string;
  /** deleted: removed from the corp (or disabled); moved: left a department. */
  reason: 'deleted' | 'moved';
  /**
   * Their lead (the leader of their main department as WeCom marks it, else the nearest leader up the tree, else an
   * owner); null only when the corp has none of these.
   */
  fallback: string | null;
}

/**
 * One kind of open work a module hands over when a member leaves (orders, cases, checklist steps): a module lists
 * these as `handovers` in its index.ts. The offboarding (sop module) calls every module's in one unit of work, so the
 * report lists everything that moved and nothing stays with the member who left. `handOver` reassigns the module's own
 * rows — by its assignment rule among the members still eligible, else to `fallback` — writes its own timeline and
 * events, and answers what moved. It must be idempotent: run again, it finds nothing left to move.
 */
export interface HandoverDef {
  /** Unique across modules: `<module>.<what>`. */
  key: string;
  handOver(input: HandoverInput, tx: Tx): Promise<HandoverItem[]>;
}

/** Every module's handovers, in module order; filled by composeModules. */
export class HandoverRegistry {
  private readonly defs: HandoverDef[] = [];
  private readonly keys = new UniqueKeys('handover');

  add(def: HandoverDef, module: string): void {
    this.keys.add(def.key, `module ${module}`);
    this.defs.push(def);
  }

  all(): readonly HandoverDef[] {
    return this.defs;
  }
}
