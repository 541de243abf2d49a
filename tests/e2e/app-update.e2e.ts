import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppServer } from './support/server';
import { launchPhone, waitForServiceWorker } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';

/** Builds the app a second time (a new version) into a folder of its own. */
function buildNextVersion(dir: string): string {
	const result = spawnSync('npx', ['vite', 'build'], {
		env: { ...process.env, KLAR_BUILD_DIR: dir },
		encoding: 'utf8'
	});
	if (result.status !== 0) throw new Error(`Build failed: ${result.stderr}`);
	return JSON.parse(readFileSync(join(dir, 'client/_app/version.json'), 'utf8')).version;
}

describe('An executive gets the new version of the app without it getting stuck', () => {
	let server: AppServer;
	let phone: Awaited<ReturnType<typeof launchPhone>>;
	let nextVersion: string;
	// Inside the repository, so the second build finds node_modules like the first.
	const nextBuild = join(process.cwd(), '.svelte-kit', 'e2e-next-build');

	beforeAll(async () => {
		server = await AppServer.startSeeded();
		nextVersion = buildNextVersion(nextBuild);
		phone = await launchPhone();
	}, 180_000);

	afterAll(async () => {
		await phone?.close();
		await server?.dispose();
		rmSync(nextBuild, { recursive: true, force: true });
	});

	it('offers "Neue Version verfügbar", and after "Neu laden" the new build runs', async () => {
		const { page } = phone;
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
			const registration = await navigator.serviceWorker.getRegistration();
			const revisions: string[] = [];
			for (const name of await caches.keys()) {
				for (const request of await (await caches.open(name)).keys()) {
					const url = new URL(request.url);
					if (url.pathname === '/') revisions.push(url.searchParams.get('__WB_REVISION__') ?? '');
				}
			}
			return {
				waiting: registration?.waiting !== null,
				controlled: navigator.serviceWorker.controller !== null,
				revisions
			};
		});
		expect(state).toEqual({ waiting: false, controlled: true, revisions: [nextVersion] });
		expect(await page.getByText('Neue Version verfügbar').count()).toBe(0);
	});
});
