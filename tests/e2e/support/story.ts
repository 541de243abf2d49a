import { afterAll, beforeAll } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { AppServer } from './server';
import { launchPhone } from './browser';

export interface Story {
	server: AppServer;
	page: Page;
	context: BrowserContext;
}

/**
 * Each story gets its own built server on a freshly seeded database and a phone with an empty
 * profile, started before the story's steps and torn down after them.
 */
export function storyWithAppAndPhone(prepare?: (server: AppServer) => Promise<void>): Story {
	const story = {} as Story;
	let close: (() => Promise<void>) | undefined;
	beforeAll(async () => {
		story.server = await AppServer.startSeeded();
		await prepare?.(story.server);
		const phone = await launchPhone();
		story.page = phone.page;
		story.context = phone.context;
		close = phone.close;
	}, 180_000);
	afterAll(async () => {
		await close?.();
		await story.server?.dispose();
	});
	return story;
}
