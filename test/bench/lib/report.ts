/**
 * Benchmark reports and test/bench/RESULTS.md. Each benchmark owns one section of the file, between
 * `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, so running one benchmark alone (with
 * --write) updates its own section and leaves the others as they were.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeMachine, machineInfo, type MachineInfo } from './machine';

export const RESULTS_MD = join(__dirname, '..', 'RESULTS.md');

export interface BenchRow {
  metric: string;
  goal: string;
  measured: string;
  /** null: informational, no goal. */
  pass: boolean | null;
}

export interface BenchReport {
  name: string;
  title: string;
  rows: BenchRow[];
  /** Setup and caveats, rendered as a bullet list under the table. */
  notes: string[];
  /** When the benchmark could not run at all. */
  error?: string;
  date: string;
  machine: MachineInfo;
  /** The code measured: commit, plus which of server/ h5/ scripts/ had uncommitted changes. */
  revision: string;
  /** Raw figures (printed as JSON by the standalone runners). */
  raw?: unknown;
}

/**
 * The commit measured (full hash), or that hash + "uncommitted changes" when the working tree has any
 * change besides RESULTS.md itself: figures belong to exactly one committed tree.
 */
export function codeRevision(): string {
  const root = join(__dirname, '..', '..', '..');
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=normal')
    .split('\n')
    .filter((line) => line && !line.endsWith('test/bench/RESULTS.md') && !line.includes('test/artifacts/'));
  return dirty.length ? `${head} + uncommitted changes (${dirty.length} files)` : head;
}

export const isCleanRevision = (revision: string): boolean => /^[0-9a-f]{40}$/.test(revision);

export function newReport(name: string, title: string): BenchReport {
  return { name, title, rows: [], notes: [], date: new Date().toISOString(), machine: machineInfo(), revision: codeRevision() };
}

export const passText = (pass: boolean | null): string => (pass === null ? '—' : pass ? 'PASS' : 'FAIL');

/** Overall verdict of a report: false when any goal failed or it errored. */
export function reportPassed(r: BenchReport): boolean {
  return !r.error && r.rows.every((row) => row.pass !== false);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSection(r: BenchReport): string {
  const lines = [`## ${r.title}`, '', `Date: ${r.date}  `, `Machine: ${describeMachine(r.machine)}  `, `Code: ${r.revision}`, ''];
  if (r.error) lines.push(`**Did not complete:** ${cell(r.error)}`, '');
  if (r.rows.length) {
    lines.push('| Metric | Goal | Measured | Result |', '|---|---|---|---|');
    for (const row of r.rows) lines.push(`| ${cell(row.metric)} | ${cell(row.goal)} | ${cell(row.measured)} | ${passText(row.pass)} |`);
    lines.push('');
  }
  for (const n of r.notes) lines.push(`- ${n}`);
  if (r.notes.length) lines.push('');
  return lines.join('\n');
}

const HEADER = `# Benchmark results (issue #2)

Produced by \`npm run bench\` (test/bench/run.ts); each benchmark also runs alone, e.g.
\`npx tsx --tsconfig tsconfig.json test/bench/contact-sync.ts --write\`. All load goes to 127.0.0.1 only,
bounded in count and time. The figures are from the machine named in each section; the load generator,
the server, the WeCom simulator and MariaDB all share that machine's CPUs.
`;

const ORDER = ['callback-ingress', 'contact-sync', 'h5-perf'];

/** Replace (or add) the sections of these reports in RESULTS.md; other sections are kept. */
/** Rewrites RESULTS.md; refuses figures measured on a dirty tree (commit first, or run with --no-write). */
export function writeResults(reports: BenchReport[], summary?: string): void {
  const dirty = reports.find((r) => !isCleanRevision(r.revision));
  if (dirty) throw new Error(`not writing ${RESULTS_MD}: measured on ${dirty.revision}; commit first (figures must name a clean commit) or pass --no-write`);
  const existing = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : '';
  const sections = new Map<string, string>();
  for (const m of existing.matchAll(/<!-- bench:([\w-]+):start -->\n([\s\S]*?)<!-- bench:\1:end -->/g)) if (m[1] !== 'summary') sections.set(m[1]!, m[2]!);
  for (const r of reports) sections.set(r.name, `${renderSection(r)}\n`);
  let summaryBlock = /<!-- bench:summary:start -->\n([\s\S]*?)<!-- bench:summary:end -->/.exec(existing)?.[1] ?? '';
  if (summary !== undefined) summaryBlock = `${summary}\n`;
  const names = [...ORDER.filter((n) => sections.has(n)), ...[...sections.keys()].filter((n) => !ORDER.includes(n))];
  const out = [HEADER];
  if (summaryBlock) out.push(`<!-- bench:summary:start -->\n${summaryBlock}<!-- bench:summary:end -->\n`);
  for (const n of names) out.push(`<!-- bench:${n}:start -->\n${sections.get(n)}<!-- bench:${n}:end -->\n`);
  writeFileSync(RESULTS_MD, out.join('\n'));
}

/** Plain-text table for the console. */
export function consoleTable(reports: BenchReport[]): string {
  const rows: string[][] = [['benchmark', 'metric', 'goal', 'measured', 'result']];
  for (const r of reports) {
    if (r.error) rows.push([r.name, '(error)', '', r.error.slice(0, 80), 'FAIL']);
    for (const row of r.rows) rows.push([r.name, row.metric, row.goal, row.measured, passText(row.pass)]);
  }
  const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((r) => [...r[i]!].length))));
  const fmt = (r: string[]) => r.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ');
  return [fmt(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)].join('\n');
}

/** Markdown summary table (one line per goal) for the top of RESULTS.md. */
export function markdownSummary(reports: BenchReport[]): string {
  const lines = ['## Summary', '', '| Benchmark | Metric | Goal | Measured | Result |', '|---|---|---|---|---|'];
  for (const r of reports) {
    if (r.error) lines.push(`| ${r.name} | (did not complete) | | ${cell(r.error.slice(0, 120))} | FAIL |`);
    for (const row of r.rows.filter((x) => x.pass !== null))
      lines.push(`| ${r.name} | ${cell(row.metric)} | ${cell(row.goal)} | ${cell(row.measured)} | ${passText(row.pass)} |`);
  }
  return lines.join('\n') + '\n';
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtMs = (n: number): string => (n >= 100 ? `${Math.round(n)} ms` : `${Math.round(n * 10) / 10} ms`);

/** `npx tsx … <bench>.ts [--write]`: run one benchmark alone, print its report, exit 1 when a goal fails. */
export function runStandalone(run: () => Promise<BenchReport>): void {
  run()
    .then((report) => {
      console.log(JSON.stringify(report, null, 2));
      if (process.argv.includes('--write')) writeResults([report]);
      if (report.error || report.rows.some((r) => r.pass === false)) process.exitCode = 1;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
