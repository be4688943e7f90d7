import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real images, real TensorFlow.js training and real site builds take seconds, not milliseconds.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores: two test files at a time.
    maxWorkers: 2,
  },
});
