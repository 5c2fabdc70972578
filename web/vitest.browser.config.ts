import { defineConfig } from 'vitest/config';

// Browser tests: each file starts a real `smartchurn serve` and Chromium. One file at a time and
// the tests of a file in order: they walk through the app like a user does.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    reporters: ['verbose'], // every step by name in the ctest log
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    sequence: { concurrent: false },
  },
});
