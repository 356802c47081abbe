import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Node-API errors must come from the test's own realm: no vm* pools.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
