// Jest's own summary ("Test Suites: ...", "Ran all test suites") followed by the plain closing line CI reads:
// "jest: N passed, N failed, N skipped". Jest prints its summary after every custom reporter, so this reporter
// takes its place (jest.config.js lists the progress reporter alone) to make the plain line the last one.
// A suite that cannot even load counts as a failure.
const { SummaryReporter: JestSummary } = require("@jest/reporters");

class SummaryReporter extends JestSummary {
  constructor(globalConfig, options) {
    super(globalConfig, options ?? {});
  }

  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    const skipped = results.numPendingTests + results.numTodoTests;
    // The same stream as jest's summary, so that nothing can come after it.
    process.stderr.write(
      `\njest: ${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
