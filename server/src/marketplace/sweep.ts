import type { LeaseStore } from '../db/leases';

/** The sweep overlaps the previous one by this much: a change made just as the last sweep read is read again. */
const OVERLAP_MS = 2 * 60_000;
const KEEP_MARK_MS = 365 * 86_400_000;

/**
 * A reconciliation sweep over what changed since the last one (../shared/docs/marketplace.md §1.4.6): `sweep(from,
 * to)` reads the marketplace's changes in [from, to]; the watermark per key is kept in the database and advanced only
 * after the sweep completed, so a failed sweep is read again next round. A first sweep reaches back `firstMs`.
 */
export async function sweepSinceLast(
  leases: LeaseStore,
  key: string,
  now: number,
  firstMs: number,
  sweep: (from: number, to: number) => Promise<number>,
): Promise<number> {
  const mark = await leases.readValue(key);
  const from = mark ? Number(mark.value) - OVERLAP_MS : now - firstMs;
  const changed = await sweep(from, now);
  await leases.writeValue(key, String(now), now + KEEP_MARK_MS);
  return changed;
}
