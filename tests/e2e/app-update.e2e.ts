import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { waitForServiceWorker } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';

/** Builds the app a second time (a new version) into a folder of its own. */
function buildNextVersion(dir: string): string {
	// Without vitest's NODE_ENV=test, which would make a development build (module service worker).
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST'))
	);
	const result = spawnSync('npx', ['vite', 'build'], {
		env: { ...env, KLAR_BUILD_DIR: dir },
		encoding: 'utf8'
	});
	if (result.status !== 0) throw new Error(`Build failed: ${result.stderr}`);
	return JSON.parse(readFileSync(join(dir, 'client/_app/version.json'), 'utf8')).version;
}

describe('An executive gets the new version of the app without it getting stuck', () => {
	let nextVersion: string;
	// Inside the repository, so the second build finds node_modules like the first.
	const nextBuild = join(process.cwd(), '.svelte-kit', 'e2e-next-build');
	const story = storyWithAppAndPhone(async () => {
		nextVersion = buildNextVersion(nextBuild);
	});
	afterAll(() => rmSync(nextBuild, { recursive: true, force: true }));

	it('offers "Neue Version verfügbar", and after "Neu laden" the new build runs', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('spitze');
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);
		const firstVersion = JSON.parse(readFileSync('build/client/_app/version.json', 'utf8')).version;
		expect(nextVersion).not.toBe(firstVersion);

		// The city deploys the new build.
		await server.stop();
		server.buildDir = nextBuild;
		await server.start();

		await page.reload();
		await new HomePage(page).waitForTiles();
		const prompt = page.getByRole('alert').filter({ hasText: 'Neue Version verfügbar' });
		await prompt.waitFor({ timeout: 20_000 });
		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Neu laden' }).click()
		]);
		await new HomePage(page).waitForTiles();

		const state = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			const revisions: string[] = [];
			for (const name of await caches.keys()) {
				for (const request of await (await caches.open(name)).keys()) {
					const url = new URL(request.url);
					if (url.pathname === '/') revisions.push(url.searchParams.get('__WB_REVISION__') ?? '');
				}
			}
			return {
				waiting: registration.waiting?.state ?? null,
				installing: registration.installing?.state ?? null,
				controlled: navigator.serviceWorker.controller !== null,
				revisions
			};
		});
		expect(state).toEqual({
			waiting: null,
			installing: null,
			controlled: true,
			revisions: [nextVersion]
		});
		expect(await page.getByText('Neue Version verfügbar').count()).toBe(0);

		// Taken for good: the next start of the app does not ask again.
		await page.reload();
		await new HomePage(page).waitForTiles();
		await page.waitForTimeout(1_000);
		expect(await page.getByText('Neue Version verfügbar').count()).toBe(0);
	});
});
