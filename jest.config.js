/** Jest runs the TypeScript tests through ts-jest, type-checked (isolatedModules off), against real local servers. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // Tests reach only loopback: fetch to any other host fails (test/support/network-guard.ts).
  setupFiles: ['<rootDir>/test/support/network-guard.ts'],
  testTimeout: 20000,
};
