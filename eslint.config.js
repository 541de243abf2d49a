import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * The directions imports may run in (README, "How the code is laid out"). A wrong import fails
 * `npm run lint`. Paths are written with the project's aliases (#shared, #server, $lib);
 * relative imports may only reach files in the same folder group. Patterns are gitignore-style,
 * where a leading # starts a comment: hence `\\#server/*`.
 */
const SERVER_FROM_BROWSER = {
	group: ['\\#server/*', '$server/*', '**/server/**'],
	allowTypeImports: true,
	message:
		'Browser code imports nothing from server/ but `import type { AppRouter }`; shared code lives in src/lib/shared (#shared/*).'
};
/** @typedef {{ group: string[]; message?: string; allowTypeImports?: boolean }} Pattern */
/**
 * @param {...(string | Pattern)} patterns
 * @returns {import('eslint').Linter.RuleEntry}
 */
const restricted = (...patterns) => [
	'error',
	{ patterns: patterns.map((p) => (typeof p === 'string' ? { group: [p] } : p)) }
];

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'server/db/migrations/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// KLAR is served from the origin root (no paths.base) and its service worker answers
			// every navigation with the shell at "/", so links are plain absolute paths.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
		}
	},
	{
		// Type-aware checks: a forgotten await loses errors and ordering.
		files: ['**/*.ts', '**/*.svelte'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		// The service worker is checked with the webworker lib (tsconfig.worker.json).
		files: ['src/service-worker.ts'],
		languageOptions: {
			parserOptions: { projectService: false, project: './tsconfig.worker.json' }
		}
	},
	{
		files: ['src/lib/shared/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted({
				group: [
					'$lib/*',
					'\\#server/*',
					'$server/*',
					'**/server/**',
					'**/kpis/**',
					'**/sync/**',
					'**/components/**',
					'dexie',
					'svelte',
					'svelte/*',
					'@trpc/*'
				],
				message:
					'src/lib/shared is what browser and server both run: it imports nothing of ours outside itself.'
			})
		}
	},
	{
		files: ['src/lib/kpis/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted(SERVER_FROM_BROWSER, {
				group: [
					'$lib/sync/*',
					'$lib/components/*',
					'$lib/entries/*',
					'$lib/app/*',
					'**/sync/**',
					'dexie',
					'@trpc/*',
					'svelte',
					'svelte/*'
				],
				message: 'src/lib/kpis is pure computation and presentation: it imports only #shared/*.'
			})
		}
	},
	{
		files: ['src/lib/sync/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted(SERVER_FROM_BROWSER, {
				group: [
					'$lib/kpis/*',
					'$lib/components/*',
					'$lib/entries/*',
					'$lib/app/*',
					'svelte',
					'svelte/*'
				],
				message:
					'src/lib/sync imports #shared/* and, from the server, only `type AppRouter`; no Svelte.'
			})
		}
	},
	{
		files: ['src/lib/components/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted(SERVER_FROM_BROWSER, {
				group: [
					'dexie',
					'@trpc/*',
					'$lib/sync/client',
					'$lib/sync/trpc-transport',
					'$lib/sync/engine',
					'$lib/sync/pull',
					'$lib/sync/outbox'
				],
				allowTypeImports: true,
				message: 'Components get their data through props: they never open Dexie or call tRPC.'
			})
		}
	},
	{
		files: ['src/**'],
		ignores: [
			'src/hooks.server.ts',
			'src/routes/api/**/+server.ts',
			// The open-data files (downloads, DCAT catalogue) are served by thin endpoints.
			'src/routes/offene-daten/**/+server.ts',
			'src/lib/shared/**',
			'src/lib/kpis/**',
			'src/lib/sync/**',
			'src/lib/components/**'
		],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted(SERVER_FROM_BROWSER)
		}
	},
	{
		files: ['server/**'],
		ignores: ['server/trpc/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted(
				{
					group: ['\\#server/trpc/*', '**/trpc/**'],
					message:
						'Only server/trpc knows about transport: db, kpis, sync, feeds and auth never import it.'
				},
				{
					group: ['$lib/*', '**/src/lib/**', '**/src/routes/**'],
					message: 'The server imports browser code only from src/lib/shared, as #shared/*.'
				}
			)
		}
	},
	{
		files: ['server/trpc/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': restricted({
				group: ['$lib/*', '**/src/lib/**', '**/src/routes/**'],
				message: 'The server imports browser code only from src/lib/shared, as #shared/*.'
			})
		}
	}
);
