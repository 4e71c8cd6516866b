// Ends every jest run with the plain closing line CI reads: "N passed, N failed, N skipped".
// A suite that cannot even load counts as a failure.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
