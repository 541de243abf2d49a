/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import {
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import {
	FEEDBACK_SYNC_TAG,
	flushFeedbackInWorker,
	flushOutboxInWorker,
	OUTBOX_SYNC_TAG
} from '$lib/sync/background-sync';
import { api, trpcTransport } from '$lib/sync/trpc-transport';
import { isOpenDataJson, OPEN_DATA_CACHE, OPEN_DATA_FILES } from '$lib/open-data/offline';

interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
}

const sw = self as unknown as ServiceWorkerGlobalScope;

// The app renders in the browser, so every route has the same HTML shell: precache it once
// under "/" and answer every navigation with it. That opens deep links offline and never waits
// for the network. Hashed build files need no revision; the shell and static files do.
precacheAndRoute([
	{ url: '/', revision: version },
	...build.map((url) => ({ url, revision: null })),
	...files.filter((url) => !url.endsWith('.DS_Store')).map((url) => ({ url, revision: version }))
]);
cleanupOutdatedCaches();

registerRoute(
	new NavigationRoute(createHandlerBoundToURL('/'), {
		denylist: [/^\/api\//, ...OPEN_DATA_FILES]
	})
);

// The open-data portal reads public JSON files without a login; the last answer is kept so the
// list and every dataset opened once still open without a network. Fresh data wins online.
registerRoute(
	({ url, sameOrigin }) => sameOrigin && isOpenDataJson(url.pathname),
	new NetworkFirst({ cacheName: OPEN_DATA_CACHE, networkTimeoutSeconds: 5 })
);

// A new build waits until the person accepts the "Neue Version verfügbar" prompt.
sw.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

// Background Sync: the browser wakes the worker when it is online again, page open or not.
sw.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag === OUTBOX_SYNC_TAG) sync.waitUntil(flushOutboxInWorker(trpcTransport));
	if (sync.tag === FEEDBACK_SYNC_TAG) {
		sync.waitUntil(flushFeedbackInWorker({ send: (message) => api.feedback.send.mutate(message) }));
	}
});
