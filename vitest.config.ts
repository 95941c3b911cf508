import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // The fast suites first; then the end-to-end suites, which install and run real projects.
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          globalSetup: ['test/e2e/global-setup.ts'],
          include: ['test/e2e/**/*.e2e.test.ts'],
          // Each file installs and tests real projects; two at a time fill this machine's two cores.
          maxWorkers: 2,
          testTimeout: 15 * 60_000,
          hookTimeout: 15 * 60_000,
        },
      },
    ],
  },
});
