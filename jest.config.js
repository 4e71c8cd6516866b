/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testTimeout: 120000,
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
};
