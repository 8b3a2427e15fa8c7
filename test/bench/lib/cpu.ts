/**
 * CPU time of processes from /proc (Linux), to see who used the machine's CPUs during a run: the load
 * generator, the server, mariadbd, and how busy all CPUs were together. Elsewhere: zeros.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a whole process (all threads), in ms; 0 when unreadable. */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // fields 14 and 15 of stat(5)
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the whole machine in ms (sum over CPUs), from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Direct children of this process whose command name is `comm` (e.g. mariadbd started by startMariaDb). */
export function childPidsNamed(comm: string): number[] {
  const pids: number[] = [];
  const taskDir = '/proc/self/task';
  if (!existsSync(taskDir)) return pids;
  for (const tid of readdirSync(taskDir)) {
    let children: string;
    try {
      children = readFileSync(`${taskDir}/${tid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const p of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${p}/comm`, 'utf8').trim() === comm) pids.push(p);
      } catch {
        /* gone */
      }
    }
  }
  return pids;
}

export interface CpuSnapshot {
  at: number;
  self: number;
  procs: Record<string, number>;
  machine: { busy: number; total: number };
}

export function cpuSnapshot(procs: Record<string, number | undefined>): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    at: Date.now(),
    self: (self.user + self.system) / 1000,
    procs: Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, processCpuMs(pid)])),
    machine: machineCpuMs(),
  };
}

export interface CpuDelta {
  wallMs: number;
  /** CPU ms used by this process (the load generator) and by each named process. */
  selfMs: number;
  procsMs: Record<string, number>;
  /** Share of all CPUs busy during the interval (0..1). */
  machineBusy: number;
  /** CPU ms of all CPUs together over the interval (wall × CPUs). */
  machineTotalMs: number;
}

export function cpuDelta(a: CpuSnapshot, b: CpuSnapshot): CpuDelta {
  const total = b.machine.total - a.machine.total;
  return {
    wallMs: b.at - a.at,
    selfMs: Math.round(b.self - a.self),
    procsMs: Object.fromEntries(Object.keys(b.procs).map((k) => [k, Math.round(b.procs[k]! - (a.procs[k] ?? 0))])),
    machineBusy: total > 0 ? (b.machine.busy - a.machine.busy) / total : 0,
    machineTotalMs: total,
  };
}

/** CPU ms used by processes other than the ones measured (other users of the machine). */
export function othersMs(d: CpuDelta): number {
  const ours = d.selfMs + Object.values(d.procsMs).reduce((a, b) => a + b, 0);
  return Math.max(0, Math.round(d.machineBusy * d.machineTotalMs - ours));
}

/** Share of all CPUs busy over `ms`. */
export async function machineBusyOver(ms: number): Promise<number> {
  const a = machineCpuMs();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpuMs();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}

/**
 * Wait (bounded) until the machine is mostly idle, so other work on a shared machine (test suites,
 * builds) skews the figures less. Returns the last busy share seen and how long it waited.
 */
export async function waitForQuietMachine(
  opts: { busyBelow?: number; maxWaitMs?: number; log?: (s: string) => void } = {},
): Promise<{ busy: number; waitedMs: number }> {
  const limit = opts.busyBelow ?? 0.3;
  const deadline = Date.now() + (opts.maxWaitMs ?? 60_000);
  const start = Date.now();
  let busy = await machineBusyOver(1000);
  let said = false;
  while (busy >= limit && Date.now() < deadline) {
    if (!said)
      opts.log?.(
        `[bench] machine busy (${Math.round(busy * 100)} % of all CPUs) with other work; waiting up to ${Math.round((deadline - Date.now()) / 1000)} s for it to settle`,
      );
    said = true;
    busy = await machineBusyOver(2000);
  }
  return { busy, waitedMs: Date.now() - start };
}
