// @ts-check
/**
 * A Jest reporter (https://jestjs.io/docs/configuration#reporters-arraymodulename--modulename-options)
 * that writes the run's totals to .tmp/jest-summary.json, so `.ci/run` can run `npm test` exactly as
 * the README says and still read the figures: passed, failed, and the skipped/todo tests that fail CI.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  /** @param {unknown} _globalConfig @param {unknown} _options */
  constructor(_globalConfig, _options) {}

  /** @param {unknown} _contexts @param {import('@jest/test-result').AggregatedResult} r */
  onRunComplete(_contexts, r) {
    const skipped = [];
    for (const file of r.testResults) {
      for (const t of file.testResults) {
        if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo' || t.status === 'disabled')
          skipped.push(`${file.testFilePath}: ${t.fullName}`);
      }
    }
    const summary = {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      pending: r.numPendingTests,
      todo: r.numTodoTests,
      total: r.numTotalTests,
      failedSuites: r.numFailedTestSuites,
      runtimeErrorSuites: r.numRuntimeErrorTestSuites,
      skipped,
    };
    const dir = join(__dirname, '..', '..', '.tmp');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'jest-summary.json'), JSON.stringify(summary, null, 2));
  }
}

module.exports = SummaryReporter;
