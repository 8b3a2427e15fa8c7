/**
 * Reading a V8 CPU profile (Chrome DevTools Protocol `Profiler.stop`, https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile):
 * self time per frame and time inside a frame with its callees, grouped by a key the caller picks.
 */

/** The part of a call frame the grouping looks at (DevTools protocol Runtime.CallFrame; lines and columns 0-based). */
export interface ProfileFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: ProfileFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** µs */
  startTime: number;
  endTime: number;
  samples?: number[];
  /** µs between one sample and the one before it. */
  timeDeltas?: number[];
}

/** Only the samples taken at or after `fromUs` (the profile's clock, µs), when given. */
export interface ProfileRange {
  fromUs?: number;
}

/** When each sample was taken (µs, the profile's clock). */
export function sampleTimes(p: CpuProfile): number[] {
  const deltas = p.timeDeltas ?? [];
  const out: number[] = [];
  let t = p.startTime;
  for (let i = 0; i < (p.samples ?? []).length; i++) out.push((t += deltas[i] ?? 0));
  return out;
}

/** Self time (ms) of every node: each sample charged with the interval until the next sample. */
export function selfTimes(p: CpuProfile, range: ProfileRange = {}): Map<number, number> {
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const at = sampleTimes(p);
  for (let i = 0; i < samples.length; i++) {
    if (range.fromUs !== undefined && at[i]! < range.fromUs) continue;
    const dt = i + 1 < deltas.length ? deltas[i + 1]! / 1000 : 0;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + dt);
  }
  return self;
}

/** When (µs, the profile's clock) the first sample was taken inside a frame `match` picks, or null. */
export function firstSampleUnder(p: CpuProfile, match: (f: ProfileFrame) => boolean): number | null {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const under = new Map<number, boolean>();
  const isUnder = (id: number): boolean => {
    const chain: number[] = [];
    let found = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const known = under.get(at);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(at);
      if (match(byId.get(at)!.callFrame)) {
        found = true;
        break;
      }
    }
    for (const c of chain) under.set(c, found);
    return found;
  };
  const at = sampleTimes(p);
  const samples = p.samples ?? [];
  for (let i = 0; i < samples.length; i++) if (isUnder(samples[i]!)) return at[i]!;
  return null;
}

/** Self time (ms) summed by `key` (null: left out). */
export function selfBy(p: CpuProfile, key: (f: ProfileFrame) => string | null, range: ProfileRange = {}): Map<string, number> {
  const self = selfTimes(p, range);
  const out = new Map<string, number>();
  for (const n of p.nodes) {
    const k = key(n.callFrame);
    const ms = self.get(n.id) ?? 0;
    if (k !== null && ms > 0) out.set(k, (out.get(k) ?? 0) + ms);
  }
  return out;
}

/**
 * Time (ms) inside the frames `key` names, their callees included; a frame called (directly or not) from a frame of the
 * same key is not counted twice.
 */
export function inclusiveBy(p: CpuProfile, key: (f: ProfileFrame) => string | null, range: ProfileRange = {}): Map<string, number> {
  const self = selfTimes(p, range);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const childIds = new Set(p.nodes.flatMap((n) => n.children ?? []));
  const roots = p.nodes.filter((n) => !childIds.has(n.id));
  // Each node's time with everything under it (post-order, without recursion: profiles can be deep).
  const total = new Map<number, number>();
  const order: CpuProfileNode[] = [];
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children ?? []) stack.push(byId.get(c)!);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    total.set(n.id, (self.get(n.id) ?? 0) + (n.children ?? []).reduce((s, c) => s + (total.get(c) ?? 0), 0));
  }
  const out = new Map<string, number>();
  const walk: Array<{ node: CpuProfileNode; open: ReadonlySet<string> }> = roots.map((node) => ({ node, open: new Set<string>() }));
  while (walk.length) {
    const { node, open } = walk.pop()!;
    const k = key(node.callFrame);
    let next = open;
    if (k !== null && !open.has(k)) {
      out.set(k, (out.get(k) ?? 0) + (total.get(node.id) ?? 0));
      next = new Set(open).add(k);
    }
    for (const c of node.children ?? []) walk.push({ node: byId.get(c)!, open: next });
  }
  return out;
}

/** The profile's length (ms). */
export const profileMs = (p: CpuProfile): number => (p.endTime - p.startTime) / 1000;
