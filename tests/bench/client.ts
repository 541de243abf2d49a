/**
 * Client-side benchmarks against the built app: JavaScript per route (gzip) and the offline
 * cold start of the home screen in headless Chromium at a phone viewport.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AppServer } from '../e2e/support/server';
import { launchPhone, waitForServiceWorker } from '../e2e/support/browser';
import { LoginPage } from '../e2e/pages/login-page';
import { HomePage } from '../e2e/pages/home-page';

interface ManifestChunk {
	file: string;
	imports?: string[];
	dynamicImports?: string[];
}

/**
 * gzip size of the JavaScript a route loads: Kit's entry, the app, the root layout and the
 * route's nodes with their static imports; with `withDynamic`, also what the route imports
 * when it mounts (chart.js on the detail page), which the phone downloads for that screen too.
 */
export function routeJavaScript(
	routeId: string,
	withDynamic = false
): { files: number; raw: number; gzip: number } {
	const manifestFile = '.svelte-kit/output/client/.vite/manifest.json';
	const appFile = '.svelte-kit/generated/client-optimized/app.js';
	if (!existsSync(manifestFile)) throw new Error('Run `npm run build` first.');
	const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
	const escaped = routeId.replace(/[[\]/]/g, (c) => `\\${c}`);
	const nodes = new RegExp(`"${escaped}": \\[([\\d,\\s]+)\\]`)
		.exec(readFileSync(appFile, 'utf8'))![1]!
		.split(',')
		.map((n) => n.trim())
		.filter(Boolean);
	const roots = [
		'node_modules/@sveltejs/kit/src/runtime/client/entry.js',
		'.svelte-kit/generated/client-optimized/app.js',
		'.svelte-kit/generated/client-optimized/nodes/0.js',
		...nodes.map((n) => `.svelte-kit/generated/client-optimized/nodes/${n}.js`)
	];
	const seen = new Set<string>();
	const visit = (key: string, dynamic: boolean) => {
		if (seen.has(key) || !manifest[key]) return;
		seen.add(key);
		manifest[key]!.imports?.forEach((k) => visit(k, dynamic));
		if (dynamic) manifest[key]!.dynamicImports?.forEach((k) => visit(k, false));
	};
	// Dynamic imports of the route's own nodes only: the layout's lazy parts (e.g. the
	// service-worker registration) are the same on every screen and counted statically.
	roots.forEach((key, i) => visit(key, withDynamic && i >= 3));
	let raw = 0;
	let gzip = 0;
	for (const key of seen) {
		const content = readFileSync(join('.svelte-kit/output/client', manifest[key]!.file));
		raw += content.length;
		gzip += gzipSync(content, { level: 9 }).length;
	}
	return { files: seen.size, raw, gzip };
}

/**
 * Offline cold start: the mayor's phone has synced once; the browser is closed, the network is
 * gone, the browser starts again and opens the app. Measured from the navigation's start to the
 * first rendered KPI tile (the page's own clock), median of `runs` starts.
 */
export async function offlineColdStart(runs = 7): Promise<{ samples: number[]; median: number }> {
	const server = await AppServer.startSeeded();
	const profile = mkdtempSync(join(tmpdir(), 'klar-bench-phone-'));
	try {
		const first = await launchPhone({ profile });
		await first.page.goto(server.url);
		await first.page.waitForURL(/\/login/);
		await new LoginPage(first.page).logIn('spitze');
		await new HomePage(first.page).waitForTiles();
		await waitForServiceWorker(first.page);
		await first.page.getByTestId('overdue').waitFor();
		await first.close();

		const samples: number[] = [];
		for (let i = 0; i < runs; i++) {
			const phone = await launchPhone({ profile });
			await phone.context.setOffline(true);
			await phone.page.addInitScript(() => {
				const observer = new MutationObserver(() => {
					if (document.querySelector('[data-testid="kpi-tile"] [data-testid="kpi-value"]')) {
						(window as unknown as { firstTileAt: number }).firstTileAt = performance.now();
						observer.disconnect();
					}
				});
				observer.observe(document, { childList: true, subtree: true });
			});
			await phone.page.goto(server.url);
			await phone.page.waitForFunction(() => 'firstTileAt' in window, null, { timeout: 30_000 });
			samples.push(
				await phone.page.evaluate(() => (window as unknown as { firstTileAt: number }).firstTileAt)
			);
			await phone.close();
		}
		const sorted = [...samples].sort((a, b) => a - b);
		return { samples, median: sorted[Math.floor(sorted.length / 2)]! };
	} finally {
		rmSync(profile, { recursive: true, force: true });
		await server.dispose();
	}
}
