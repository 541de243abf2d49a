import { join } from 'node:path';
import type { DbOrTx } from '#server/db/connection';
import { loadDefinitionFile, registerFeed } from '#server/feeds/definitions';
import { runFeed } from '#server/feeds/runner';
import { fixedClock } from '#server/clock';
import type { FeedRunReport } from '#shared/feeds';
import { definitionFileOf, DEMO_FEEDS, type DemoFeedFiles } from './index';

export class DemoFeedError extends Error {}

/**
 * Registers the demo feeds from the definition files in `directory` and imports their
 * deliveries through the import runner, each dated when it arrived. A run that ends other
 * than planned (a file the runner no longer reads, a delivery meant to fail that succeeds)
 * is an error: the demo would show a history that did not happen.
 */
export function importDemoFeeds(
	db: DbOrTx,
	directory: string,
	files: DemoFeedFiles,
	now: Date
): FeedRunReport[] {
	// Today's deliveries are dated at the start of the city's day, which on a machine outside
	// the city's time zone can lie ahead of the moment of seeding (23:30 UTC is already the
	// next day in the city): no run may come from the future.
	const notAfterNow = (at: Date) => (at > now ? now : at);
	const registeredAt = notAfterNow(files.deliveries[0]?.deliveredAt ?? now);
	const definitions = new Map(
		DEMO_FEEDS.map(({ definition }) => {
			const loaded = loadDefinitionFile(join(directory, definitionFileOf(definition.id)));
			registerFeed(db, loaded, null, registeredAt);
			return [loaded.id, loaded];
		})
	);
	return files.deliveries.map((delivery) => {
		const report = runFeed(
			db,
			definitions.get(delivery.feedId)!,
			{ path: join(directory, delivery.fileName) },
			{
				mode: 'import',
				origin: 'demo',
				userId: null,
				clock: fixedClock(notAfterNow(delivery.deliveredAt))
			}
		);
		const { status, rowsRejected } = delivery.expected;
		if (report.status !== status || report.rowsRejected !== rowsRejected) {
			throw new DemoFeedError(
				`Demo feed ${delivery.feedId}, ${delivery.fileName}: expected ${status} with ${rowsRejected} rejected rows, got ${report.status} with ${report.rowsRejected}: ${report.summary}`
			);
		}
		return report;
	});
}
