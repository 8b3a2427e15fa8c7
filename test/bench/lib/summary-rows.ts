/**
 * A benchmark run alone with --write (runStandalone) rewrites its own section of RESULTS.md but leaves the summary
 * table at the top as it was. mergeSummaryRows() puts that benchmark's goal rows into the summary too: its old rows
 * (`| <name> | …`) are replaced in place, or the new ones appended at the end of the table; other benchmarks' rows are
 * kept as they are. Used by metrics.ts; nothing else changes behaviour.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdownSummary, RESULTS_MD, type BenchReport } from './report';

/** Replace (or add) the summary rows of these reports in RESULTS.md's summary table. */
export function mergeSummaryRows(reports: BenchReport[], file = RESULTS_MD): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const m = /(<!-- bench:summary:start -->\n)([\s\S]*?)(<!-- bench:summary:end -->)/.exec(text);
  if (!m) return;
  const names = new Set(reports.map((r) => r.name));
  const fresh = markdownSummary(reports)
    .split('\n')
    .filter((l) => /^\| [\w-]+ \|/.test(l) && !l.startsWith('| Benchmark |'));
  const lines = m[2]!.split('\n');
  const isOurs = (l: string) => names.has(/^\| ([\w-]+) \|/.exec(l)?.[1] ?? '');
  const first = lines.findIndex(isOurs);
  const kept = lines.filter((l) => !isOurs(l));
  // Where our first row was (no row of ours precedes it, so the index holds in `kept`), else after the table's last row.
  let at = first;
  if (at < 0) kept.forEach((l, i) => void (l.startsWith('|') && (at = i + 1)));
  kept.splice(at, 0, ...fresh);
  writeFileSync(file, text.slice(0, m.index) + m[1] + kept.join('\n') + m[3] + text.slice(m.index + m[0].length));
}
