// Jest's per-file progress without its summary: summaryReporter.js prints that, then the plain closing line.
module.exports = require("@jest/reporters").DefaultReporter;
