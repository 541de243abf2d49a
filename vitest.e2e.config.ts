import { defineConfig } from 'vitest/config';

// End-to-end tests drive real Chromium against the built app (`node build`); they share one
// server per file and run one file at a time so two browsers do not fight over two cores.
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.e2e.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});
