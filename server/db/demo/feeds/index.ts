import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toIsoDate } from '#shared/periods';
import type { FeedDefinitionInput } from '#shared/feeds';
import type { GeneratedObservation } from '#server/db/demo/rows';
import { FINANCE_FEED, FINANCE_KPIS, financeExport } from './finance';
import { HEALTH_FEED, HEALTH_KPIS, healthDeliveries } from './health';
import { REGISTER_FEED, REGISTER_KPIS, registerExport } from './register';
import {
	SCHOOL_CSV_FILE,
	SCHOOL_DESCRIPTOR_FILE,
	SCHOOL_FEED,
	SCHOOL_KPIS,
	schoolDescriptor,
	schoolExport
} from './schools';
import type { DemoDelivery } from './types';

export type { DemoDelivery };

/** The departments' feeds of the demo city and the KPIs each delivers. */
export const DEMO_FEEDS: { definition: FeedDefinitionInput; kpiIds: string[] }[] = [
	{ definition: REGISTER_FEED, kpiIds: REGISTER_KPIS },
	{ definition: FINANCE_FEED, kpiIds: FINANCE_KPIS },
	{ definition: HEALTH_FEED, kpiIds: HEALTH_KPIS },
	{ definition: SCHOOL_FEED, kpiIds: SCHOOL_KPIS }
];

/** KPIs whose demo observations arrive through a feed instead of being seeded directly. */
export const FEED_KPI_IDS: ReadonlySet<string> = new Set(DEMO_FEEDS.flatMap((f) => f.kpiIds));

/** The file of a feed's definition in the demo feed folder. */
export const definitionFileOf = (feedId: string) => `${feedId}.feed.json`;

/** Where the history of deliveries is kept, apart from the files delivered last. */
const HISTORY_FOLDER = 'lieferungen';

export interface DemoFeedFile {
	/** Relative to the demo feed folder. */
	fileName: string;
	bytes: Buffer;
}

export interface DemoFeedFiles {
	/** The definitions and the Data Package descriptor they point to. */
	definitions: DemoFeedFile[];
	/** Every delivery, in the order they arrived (the current files last). */
	deliveries: DemoDelivery[];
}

/**
 * Everything the demo feed folder holds, from the generated observations of `today`: one
 * definition per feed, the current export of each department, and the health office's weekly
 * deliveries before it (one with two unusable days, one in the wrong encoding).
 */
export function demoFeedFiles(rows: readonly GeneratedObservation[], today: Date): DemoFeedFiles {
	const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, '\t')}\n`, 'utf8');
	const definitions: DemoFeedFile[] = [
		...DEMO_FEEDS.map(({ definition }) => ({
			fileName: definitionFileOf(definition.id),
			bytes: json(definition)
		})),
		{ fileName: SCHOOL_DESCRIPTOR_FILE, bytes: json(schoolDescriptor(today)) }
	];
	const day = toIsoDate(today);
	const current = (feedId: string, fileName: string, bytes: Buffer): DemoDelivery => ({
		feedId,
		fileName,
		bytes,
		deliveredAt: today,
		current: true,
		expected: { status: 'succeeded', rowsRejected: 0 }
	});
	const health = healthDeliveries(rows, today).map((d) =>
		d.current ? d : { ...d, fileName: `${HISTORY_FOLDER}/${d.fileName}` }
	);
	const deliveries = [
		...health.filter((d) => !d.current),
		current(REGISTER_FEED.id, `einwohnermelderegister_${day}.csv`, registerExport(rows, today)),
		current(FINANCE_FEED.id, `finanzbuchungen_${day}.csv`, financeExport(rows)),
		...health.filter((d) => d.current),
		current(SCHOOL_FEED.id, SCHOOL_CSV_FILE, schoolExport(rows))
	];
	return { definitions, deliveries };
}

/** Writes the files into `directory` (created if need be), replacing files of the same name. */
export function writeDemoFeedFiles(directory: string, files: DemoFeedFiles): void {
	for (const file of [...files.definitions, ...files.deliveries]) {
		const path = join(directory, file.fileName);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, file.bytes);
	}
}
