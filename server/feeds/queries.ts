import { and, desc, eq, gte, isNull, lt } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { subDays } from 'date-fns';
import type { DbOrTx } from '#server/db/connection';
import { feedRuns, feeds, snapshots, users } from '#server/db/schema';
import { activeDefinitions } from '#server/kpis/catalogue';
import {
	feedDueOn,
	feedHealth,
	overdueByOwner,
	rejectedByWeek,
	type DataQualityOverview
} from '#shared/data-quality';
import { FeedRunError, type FeedListItem, type FeedRunRecord } from '#shared/feeds';
import { parseIsoDate } from '#shared/periods';
import { cityDayOf } from '#server/city-time';
import { storedDefinitions } from './definitions';
import { kpiIdsOf } from './mapping';
import { overlapsOf } from './admin';

const takenBackBy = alias(users, 'taken_back_by_user');

const runColumns = {
	id: feedRuns.id,
	feedId: feedRuns.feedId,
	status: feedRuns.status,
	origin: feedRuns.origin,
	userName: users.displayName,
	startedAt: feedRuns.startedAt,
	finishedAt: feedRuns.finishedAt,
	fileName: feedRuns.fileName,
	fileBytes: feedRuns.fileBytes,
	rowsRead: feedRuns.rowsRead,
	rowsAccepted: feedRuns.rowsAccepted,
	rowsUnchanged: feedRuns.rowsUnchanged,
	rowsRejected: feedRuns.rowsRejected,
	rowsSkipped: feedRuns.rowsSkipped,
	valuesMissing: feedRuns.valuesMissing,
	valuesSuppressed: feedRuns.valuesSuppressed,
	observationsCreated: feedRuns.observationsCreated,
	observationsUpdated: feedRuns.observationsUpdated,
	observationsRemoved: feedRuns.observationsRemoved,
	definitionVersion: feedRuns.definitionVersion,
	takenBackAt: feedRuns.takenBackAt,
	takenBackBy: takenBackBy.displayName,
	kpisChanged: feedRuns.kpisChanged,
	errors: feedRuns.errors,
	summary: feedRuns.summary
};

type RunRow = { [K in keyof typeof runColumns]: (typeof runColumns)[K]['_']['data'] | null };

function toRecord(row: RunRow): FeedRunRecord {
	return {
		runId: row.id,
		feedId: row.feedId!,
		mode: 'import',
		status: row.status!,
		origin: row.origin as FeedRunRecord['origin'],
		userName: row.userName,
		startedAt: row.startedAt!,
		finishedAt: row.finishedAt!,
		fileName: row.fileName!,
		fileBytes: row.fileBytes!,
		rowsRead: row.rowsRead!,
		rowsAccepted: row.rowsAccepted!,
		rowsUnchanged: row.rowsUnchanged!,
		rowsRejected: row.rowsRejected!,
		rowsSkipped: row.rowsSkipped!,
		valuesMissing: row.valuesMissing!,
		valuesSuppressed: row.valuesSuppressed!,
		observationsCreated: row.observationsCreated!,
		observationsUpdated: row.observationsUpdated!,
		observationsRemoved: row.observationsRemoved!,
		definitionVersion: row.definitionVersion,
		takenBackAt: row.takenBackAt,
		takenBackBy: row.takenBackBy,
		kpisChanged: JSON.parse(row.kpisChanged!),
		errors: FeedRunError.array().parse(JSON.parse(row.errors!)),
		summary: row.summary!
	};
}

const runsQuery = (db: DbOrTx) =>
	db
		.select(runColumns)
		.from(feedRuns)
		.leftJoin(users, eq(users.id, feedRuns.userId))
		.leftJoin(takenBackBy, eq(takenBackBy.id, feedRuns.takenBackBy));

export const RUNS_PAGE = 20;

/** A feed's runs, newest first, a page at a time (`before`: startedAt of the last one shown). */
export function listRuns(
	db: DbOrTx,
	feedId: string,
	before?: string
): { runs: FeedRunRecord[]; nextBefore: string | null } {
	const rows = runsQuery(db)
		.where(and(eq(feedRuns.feedId, feedId), before ? lt(feedRuns.startedAt, before) : undefined))
		.orderBy(desc(feedRuns.startedAt), desc(feedRuns.id))
		.limit(RUNS_PAGE + 1)
		.all();
	const runs = rows.slice(0, RUNS_PAGE).map(toRecord);
	return { runs, nextBefore: rows.length > RUNS_PAGE ? runs.at(-1)!.startedAt : null };
}

/** Every registered feed with its last run, last success and health on `today`. */
export function listFeeds(db: DbOrTx, today: string): FeedListItem[] {
	const state = new Map(
		db
			.select({ id: feeds.id, active: feeds.active, version: feeds.version })
			.from(feeds)
			.all()
			.map((f) => [f.id, f])
	);
	const definitions = storedDefinitions(db);
	// Read and checked once for the whole list, not once per feed.
	const activeDefinitions = definitions.filter((d) => state.get(d.id)!.active);
	return definitions.map((definition) => {
		const { active, version } = state.get(definition.id)!;
		const last = runsQuery(db)
			.where(eq(feedRuns.feedId, definition.id))
			.orderBy(desc(feedRuns.startedAt))
			.limit(1)
			.get();
		const lastSuccess = db
			.select({ startedAt: feedRuns.startedAt })
			.from(feedRuns)
			.where(
				and(
					eq(feedRuns.feedId, definition.id),
					eq(feedRuns.status, 'succeeded'),
					// A run taken back delivered nothing that stands.
					isNull(feedRuns.takenBackAt)
				)
			)
			.orderBy(desc(feedRuns.startedAt))
			.limit(1)
			.get();
		const nextDueOn = feedDueOn(
			lastSuccess ? cityDayOf(lastSuccess.startedAt) : null,
			definition.cadence,
			definition.graceDays
		);
		return {
			id: definition.id,
			title: definition.title,
			description: definition.description,
			ownerDepartment: definition.owner.department,
			ownerContact: definition.owner.contact,
			cadence: definition.cadence,
			graceDays: definition.graceDays,
			format: definition.source.format,
			kpiIds: kpiIdsOf(definition),
			health: feedHealth(last?.status ?? null, nextDueOn, today, active),
			lastRun: last ? toRecord(last) : null,
			lastSuccessAt: lastSuccess?.startedAt ?? null,
			nextDueOn,
			active,
			version,
			hasStandingRuns: lastSuccess !== undefined,
			overlaps: active ? overlapsOf(db, definition, activeDefinitions) : []
		};
	});
}

/** The data-quality page: overdue KPIs by owner, the feeds, rejected rows by week. */
export function dataQualityOverview(db: DbOrTx, now: Date): DataQualityOverview {
	const today = cityDayOf(now);
	const latest = new Map(
		db
			.select({ kpiId: snapshots.kpiId, payload: snapshots.payload })
			.from(snapshots)
			.all()
			.map((s) => [s.kpiId, (JSON.parse(s.payload) as { period: string | null }).period])
	);
	const kpis = activeDefinitions(db)
		// A derived KPI is late when its inputs are; their owners are the ones to ask.
		.filter((d) => d.source.kind !== 'derived')
		.map((d) => ({
			kpiId: d.id,
			title: d.title,
			areaId: d.areaId,
			cadence: d.cadence,
			graceDays: d.graceDays,
			latestPeriod: latest.get(d.id) ?? null,
			owner: d.owner
		}));
	const since = subDays(parseIsoDate(today)!, 7 * 12 + 7).toISOString();
	const runs = db
		.select({
			startedAt: feedRuns.startedAt,
			status: feedRuns.status,
			rowsRejected: feedRuns.rowsRejected
		})
		.from(feedRuns)
		.where(gte(feedRuns.startedAt, since))
		.all()
		.map((r) => ({
			startedOn: cityDayOf(r.startedAt),
			status: r.status,
			rowsRejected: r.rowsRejected
		}));
	return {
		today,
		overdueByOwner: overdueByOwner(kpis, today),
		feeds: listFeeds(db, today),
		rejectedByWeek: rejectedByWeek(runs, today)
	};
}
