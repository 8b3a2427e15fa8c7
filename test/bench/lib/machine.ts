/**
 * The machine a benchmark ran on, for RESULTS.md: CPUs (`nproc`), CPU model (/proc/cpuinfo), memory,
 * Node and MariaDB versions. Figures from different machines are not comparable; always record these.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { findMariaDb } from '../../support/mariadb';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  mariadb: string;
  os: string;
}

function nproc(): number {
  const out = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim();
  const n = Number(out);
  return Number.isInteger(n) && n > 0 ? n : availableParallelism();
}

function cpuModel(): string {
  if (existsSync('/proc/cpuinfo')) {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** `mariadbd --version`, e.g. "10.11.19-MariaDB-0+deb12u1"; "not installed" otherwise. */
export function mariaDbVersion(): string {
  const bins = findMariaDb();
  if (!bins) return 'not installed';
  const out = spawnSync(bins.server, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /Ver\s+(\S+)/.exec(out)?.[1] ?? (out.trim() || 'unknown');
}

function osName(): string {
  if (existsSync('/etc/os-release')) {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]} (${process.platform}/${process.arch})`;
  }
  return `${process.platform}/${process.arch}`;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: nproc(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    mariadb: mariaDbVersion(),
    os: osName(),
  };
}

export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.nproc} CPU (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, MariaDB ${m.mariadb}, ${m.os}`;
}
