/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  globalSetup: "<rootDir>/test/support/globalSetup.js",
  testTimeout: 120000,
  // Type checking is `npm run lint`'s job; jest only transpiles.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  reporters: ["<rootDir>/test/support/progressReporter.js", "<rootDir>/test/support/summaryReporter.js"],
};
