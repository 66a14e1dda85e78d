// Mocha's spec reporter, plus one closing line `<layer>: N passed, N failed[, N skipped]` and a
// JSON summary in <TEST_RESULTS_DIR>/<layer>.json, which scripts/test.ts adds up across layers.
// Plain CommonJS because mocha's CLI and the extension-host bundle both load it as is.
// The layer name comes from TEST_LAYER (unit by default).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { Spec, Base } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const layer = process.env.TEST_LAYER || 'unit';
    const resultsDir = process.env.TEST_RESULTS_DIR || path.resolve(process.cwd(), 'out/test-results');
    runner.once(EVENT_RUN_END, () => {
      const stats = runner.stats || this.stats;
      const summary = {
        layer,
        passed: stats.passes,
        failed: stats.failures,
        skipped: stats.pending,
        durationMs: stats.duration || 0,
      };
      const skipped = summary.skipped ? `, ${summary.skipped} skipped` : '';
      Base.consoleLog(`${layer}: ${summary.passed} passed, ${summary.failed} failed${skipped}`);
      fs.mkdirSync(resultsDir, { recursive: true });
      fs.writeFileSync(path.join(resultsDir, `${layer}.json`), JSON.stringify(summary) + '\n');
    });
  }
}

module.exports = SummaryReporter;
