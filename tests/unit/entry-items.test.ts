import { describe, expect, test } from 'vitest';
import {
	clashingRecord,
	displayValue,
	ENTRY_STATUS_SYMBOLS,
	ENTRY_STATUS_WORDS,
	fieldLines,
	filterEntryItems,
	formOf,
	historyOf,
	myEntryItems,
	referenceNames,
	releaseQueue,
	STATUS_FILTERS,
	type EntryItem,
	type EntrySources,
	type EntryStatus,
	type StatusFilter
} from '../../src/lib/entries/entries-view';
import {
	arrivalsForm,
	courseOfferForm,
	kpiValueForm,
	occupancyForm,
	streetLightFaultForm,
	type FormDeclaration,
	type FormField
} from '#shared/forms/index';
import type { District, Facility, Provider } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import type { EntryV1 } from '#shared/protocol';
import type { Draft, OutboxEntry, SentEntry } from '../../src/lib/sync/db';

const ME = 'u-erfassung';
const COLLEAGUE = 'u-kollegin';
const LEAD = 'u-leitung';

const hohenecker = (overrides: Record<string, unknown> = {}) => ({
	facilityId: 'gu-hohenecker',
	date: '2026-11-20',
	occupied: 200,
	capacity: 240,
	...overrides
});

/** One version of a record as the server syncs it; pending, by me, unless told otherwise. */
function version(recordId: string, number: number, overrides: Partial<EntryV1> = {}): EntryV1 {
	return {
		id: `${recordId}-v${number}`,
		recordId,
		version: number,
		formId: occupancyForm.id,
		areaId: 'asyl',
		authorId: ME,
		authorName: 'Sachbearbeitung Unterbringung (Demo)',
		payload: hohenecker(),
		createdAt: `2026-11-20T08:0${number}:00.000Z`,
		receivedAt: `2026-11-20T09:0${number}:00.000Z`,
		state: 'pending',
		reviewedBy: null,
		reviewerName: null,
		reviewedAt: null,
		reviewNote: null,
		...overrides
	};
}

const released = (recordId: string, number: number, overrides: Partial<EntryV1> = {}) =>
	version(recordId, number, {
		state: 'released',
		reviewedBy: LEAD,
		reviewerName: 'Leitung Unterbringung (Demo)',
		reviewedAt: `2026-11-20T10:0${number}:00.000Z`,
		...overrides
	});

function outboxEntry(id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
	return {
		id,
		formId: occupancyForm.id,
		authorId: ME,
		createdAt: '2026-11-21T07:00:00.000Z',
		payload: hohenecker({ occupied: 205 }),
		state: 'queued',
		attempts: 0,
		...overrides
	};
}

function sentEntry(id: string, overrides: Partial<SentEntry> = {}): SentEntry {
	return {
		id,
		formId: occupancyForm.id,
		authorId: ME,
		createdAt: '2026-11-21T06:00:00.000Z',
		payload: hohenecker({ occupied: 207 }),
		sentAt: '2026-11-21T06:01:00.000Z',
		...overrides
	};
}

function draft(id: string, overrides: Partial<Draft> = {}): Draft {
	return {
		id,
		userId: ME,
		formId: occupancyForm.id,
		values: { facilityId: 'gu-hohenecker', date: '2026-11-21', occupied: '19' },
		updatedAt: '2026-11-21T05:00:00.000Z',
		...overrides
	};
}

function items(sources: Partial<EntrySources>): EntryItem[] {
	return myEntryItems({
		userId: ME,
		drafts: [],
		outbox: [],
		sent: [],
		entries: [],
		...sources
	});
}

const only = (list: EntryItem[]) => {
	expect(list).toHaveLength(1);
	return list[0]!;
};

describe('myEntryItems: records from the server', () => {
	test('a record shows its highest version, whatever order the versions arrive in', () => {
		const item = only(
			items({
				entries: [version('r1', 2, { payload: hohenecker({ occupied: 202 }) }), released('r1', 1)]
			})
		);
		expect(item).toMatchObject({
			key: 'r1',
			recordId: 'r1',
			formId: occupancyForm.id,
			payload: hohenecker({ occupied: 202 }),
			status: 'pending',
			reason: null,
			version: 2,
			updatedAt: '2026-11-20T09:02:00.000Z',
			hasReleasedVersion: true
		});
		expect(item.draftId).toBeUndefined();
		expect(item.outboxId).toBeUndefined();
	});

	test('a released record is released, dated by its review, with no released version "besides"', () => {
		const item = only(items({ entries: [released('r1', 1)] }));
		expect(item.status).toBe('released');
		expect(item.reason).toBeNull();
		expect(item.updatedAt).toBe('2026-11-20T10:01:00.000Z');
		expect(item.hasReleasedVersion).toBe(false);
	});

	test('a pending record without any released version has none to show', () => {
		const item = only(items({ entries: [version('r1', 1)] }));
		expect(item.status).toBe('pending');
		expect(item.hasReleasedVersion).toBe(false);
		expect(item.updatedAt).toBe('2026-11-20T09:01:00.000Z');
	});

	test("a rejected version shows the lead's note as the reason", () => {
		const item = only(
			items({
				entries: [
					version('r1', 1, {
						state: 'rejected',
						reviewedBy: LEAD,
						reviewedAt: '2026-11-20T11:00:00.000Z',
						reviewNote: 'Zahl vertauscht? Bitte prüfen.'
					})
				]
			})
		);
		expect(item.status).toBe('rejected');
		expect(item.reason).toBe('Zahl vertauscht? Bitte prüfen.');
		expect(item.updatedAt).toBe('2026-11-20T11:00:00.000Z');
	});

	test('a rejected correction of a released record: the released version still counts', () => {
		const item = only(
			items({
				entries: [
					released('r1', 1),
					version('r1', 2, {
						state: 'rejected',
						reviewedAt: '2026-11-20T12:00:00.000Z',
						reviewNote: 'Falscher Tag.'
					})
				]
			})
		);
		expect(item).toMatchObject({ status: 'rejected', version: 2, hasReleasedVersion: true });
	});

	test("only records the user wrote a version of: a colleague's own record is left out", () => {
		const list = items({
			entries: [
				version('mine', 1),
				released('theirs', 1, { authorId: COLLEAGUE }),
				version('theirs', 2, { authorId: COLLEAGUE })
			]
		});
		expect(list.map((i) => i.key)).toEqual(['mine']);
	});

	test("a colleague's record the user corrected is the user's too, shown at its latest version", () => {
		const item = only(
			items({
				entries: [
					released('theirs', 1, { authorId: COLLEAGUE }),
					version('theirs', 2, { payload: hohenecker({ occupied: 199 }) })
				]
			})
		);
		expect(item).toMatchObject({
			key: 'theirs',
			version: 2,
			status: 'pending',
			hasReleasedVersion: true,
			payload: hohenecker({ occupied: 199 })
		});
	});

	test("when a colleague corrected the user's record last, the colleague's version is shown", () => {
		const item = only(
			items({
				entries: [
					released('r1', 1),
					version('r1', 2, { authorId: COLLEAGUE, payload: hohenecker({ occupied: 1 }) })
				]
			})
		);
		expect(item.payload).toEqual(hohenecker({ occupied: 1 }));
		expect(item.version).toBe(2);
	});
});

describe('myEntryItems: what the device knows beyond the server', () => {
	test('a correction still in the outbox takes the place of its record, as the next version', () => {
		const item = only(
			items({
				entries: [released('r1', 1)],
				outbox: [outboxEntry('o1', { recordId: 'r1' })]
			})
		);
		expect(item).toMatchObject({
			key: 'r1',
			recordId: 'r1',
			status: 'queued',
			reason: null,
			version: 2,
			payload: hohenecker({ occupied: 205 }),
			updatedAt: '2026-11-21T07:00:00.000Z',
			hasReleasedVersion: true,
			outboxId: 'o1'
		});
	});

	test('a correction the server refused shows as refused with its German message', () => {
		const item = only(
			items({
				entries: [version('r1', 1, { state: 'superseded' }), version('r1', 2)],
				outbox: [
					outboxEntry('o1', {
						recordId: 'r1',
						state: 'rejected',
						rejection: {
							code: 'unknown_reference',
							message:
								'Diese Einrichtung gibt es nicht (mehr). Bitte eine andere Einrichtung wählen.',
							detail: 'facility x does not exist'
						}
					})
				]
			})
		);
		expect(item.status).toBe('refused');
		expect(item.reason).toBe(
			'Diese Einrichtung gibt es nicht (mehr). Bitte eine andere Einrichtung wählen.'
		);
		expect(item.version).toBe(3);
		expect(item.hasReleasedVersion).toBe(false);
	});

	test('a new entry in the outbox is listed under its own id, without record or version', () => {
		const item = only(items({ outbox: [outboxEntry('o1')] }));
		expect(item).toMatchObject({
			key: 'o1',
			recordId: null,
			status: 'queued',
			version: null,
			hasReleasedVersion: false,
			outboxId: 'o1'
		});
	});

	test('sent but not pulled yet: shown as sent; once the entry arrives it is the record again', () => {
		const sent = sentEntry('s1');
		const before = only(items({ sent: [sent] }));
		expect(before).toMatchObject({
			key: 's1',
			recordId: 's1',
			status: 'pending',
			version: 1,
			updatedAt: '2026-11-21T06:01:00.000Z',
			payload: hohenecker({ occupied: 207 })
		});

		// Released quickly: the pulled state wins over the device's "sent".
		const after = only(items({ sent: [sent], entries: [released('s1', 1, { id: 's1' })] }));
		expect(after).toMatchObject({ key: 's1', status: 'released', version: 1 });
	});

	test('a sent correction of a released record is the next version, waiting, not yet pulled', () => {
		const item = only(
			items({
				entries: [released('r1', 1)],
				sent: [sentEntry('s2', { recordId: 'r1' })]
			})
		);
		expect(item).toMatchObject({
			key: 'r1',
			recordId: 'r1',
			status: 'pending',
			version: 2,
			hasReleasedVersion: true
		});
		// Once its version 2 is pulled, the sent copy no longer counts.
		const pulled = only(
			items({
				entries: [released('r1', 1), version('r1', 2, { id: 's2' })],
				sent: [sentEntry('s2', { recordId: 'r1' })]
			})
		);
		expect(pulled).toMatchObject({
			status: 'pending',
			version: 2,
			updatedAt: '2026-11-20T09:02:00.000Z'
		});
	});

	test('a correction queued after a sent one counts on from the sent version', () => {
		const item = only(
			items({
				entries: [released('r1', 1)],
				sent: [sentEntry('s2', { recordId: 'r1' })],
				outbox: [outboxEntry('o3', { recordId: 'r1' })]
			})
		);
		expect(item).toMatchObject({ status: 'queued', version: 3, hasReleasedVersion: true });
	});

	test('drafts are listed as drafts with their values', () => {
		const item = only(items({ drafts: [draft('d1', { recordId: 'r9' })] }));
		expect(item).toEqual({
			key: 'd1',
			recordId: 'r9',
			formId: occupancyForm.id,
			payload: { facilityId: 'gu-hohenecker', date: '2026-11-21', occupied: '19' },
			status: 'draft',
			reason: null,
			updatedAt: '2026-11-21T05:00:00.000Z',
			version: null,
			hasReleasedVersion: false,
			draftId: 'd1'
		});
	});

	test("another person's drafts, outbox and sent entries on a shared device are not listed", () => {
		const list = items({
			drafts: [draft('d-other', { userId: COLLEAGUE })],
			outbox: [outboxEntry('o-other', { authorId: COLLEAGUE })],
			sent: [sentEntry('s-other', { authorId: COLLEAGUE })],
			entries: [version('r-other', 1, { authorId: COLLEAGUE })]
		});
		expect(list).toEqual([]);
	});

	test('newest first, across records, sent and queued entries and drafts', () => {
		const list = items({
			entries: [version('r-old', 1), released('r-reviewed', 1)],
			sent: [sentEntry('s1', { sentAt: '2026-11-21T06:01:00.000Z' })],
			outbox: [outboxEntry('o1', { createdAt: '2026-11-21T07:00:00.000Z' })],
			drafts: [draft('d1', { updatedAt: '2026-11-21T08:00:00.000Z' })]
		});
		expect(list.map((i) => [i.key, i.status])).toEqual([
			['d1', 'draft'],
			['o1', 'queued'],
			['s1', 'pending'],
			['r-reviewed', 'released'],
			['r-old', 'pending']
		]);
	});

	// Regression (found by this test, fixed): the version and the released version of a colleague's record are known on the
	// device, but a correction of it waiting in the outbox shows no version ("Fassung") and no hint
	// that the council still sees the released one – unlike a correction of the user's own record.
	test('a queued correction of a colleague’s released record counts on from its latest version', () => {
		const item = only(
			items({
				entries: [
					released('theirs', 1, { authorId: COLLEAGUE, state: 'superseded' }),
					released('theirs', 2, { authorId: COLLEAGUE })
				],
				outbox: [outboxEntry('o3', { recordId: 'theirs' })]
			})
		);
		expect(item.status).toBe('queued');
		expect(item.version).toBe(3);
		expect(item.hasReleasedVersion).toBe(true);
	});
});

describe('filterEntryItems', () => {
	const statuses: EntryStatus[] = ['draft', 'queued', 'refused', 'pending', 'rejected', 'released'];
	const list: EntryItem[] = statuses.flatMap((status) =>
		[occupancyForm.id, arrivalsForm.id].map((formId) => ({
			key: `${status}-${formId}`,
			recordId: null,
			formId,
			payload: {},
			status,
			reason: null,
			updatedAt: '2026-11-21T00:00:00.000Z',
			version: null,
			hasReleasedVersion: false
		}))
	);
	const statusesOf = (filter: StatusFilter, formId = '') =>
		[...new Set(filterEntryItems(list, { status: filter, formId }).map((i) => i.status))].sort();

	test.each([
		['alle', [...statuses].sort()],
		['offen', ['draft', 'refused', 'rejected']],
		['unterwegs', ['pending', 'queued']],
		['freigegeben', ['released']]
	] as const)('"%s" keeps %j', (filter, expected) => {
		expect(statusesOf(filter)).toEqual(expected);
	});

	test('every status belongs to exactly one of the narrower groups', () => {
		const groups = (Object.keys(STATUS_FILTERS) as StatusFilter[]).filter((f) => f !== 'alle');
		for (const status of statuses) {
			const containing = groups.filter((g) => statusesOf(g).includes(status));
			expect(containing, status).toHaveLength(1);
		}
	});

	test('the form filter narrows to one form; empty means every form', () => {
		const arrivals = filterEntryItems(list, { status: 'alle', formId: arrivalsForm.id });
		expect(arrivals).toHaveLength(statuses.length);
		expect(arrivals.every((i) => i.formId === arrivalsForm.id)).toBe(true);
		const openArrivals = filterEntryItems(list, { status: 'offen', formId: arrivalsForm.id });
		expect(openArrivals.map((i) => i.key).sort()).toEqual([
			`draft-${arrivalsForm.id}`,
			`refused-${arrivalsForm.id}`,
			`rejected-${arrivalsForm.id}`
		]);
		expect(filterEntryItems(list, { status: 'alle', formId: '' })).toHaveLength(list.length);
		expect(filterEntryItems(list, { status: 'alle', formId: 'gibt.es.nicht' })).toEqual([]);
	});

	test('the filter labels and status words are German, and every status has a symbol', () => {
		expect(STATUS_FILTERS.offen).toBe('Zu erledigen (Entwurf, abgelehnt)');
		expect(ENTRY_STATUS_WORDS.queued).toBe('wartet auf Verbindung');
		expect(ENTRY_STATUS_WORDS.pending).toBe('gesendet');
		expect(ENTRY_STATUS_WORDS.released).toBe('freigegeben');
		// The state never depends on colour alone: a symbol for each, distinct for the waiting states.
		for (const status of statuses) expect(ENTRY_STATUS_SYMBOLS[status]).toMatch(/\S/);
		expect(ENTRY_STATUS_SYMBOLS.queued).not.toBe(ENTRY_STATUS_SYMBOLS.pending);
		expect(ENTRY_STATUS_SYMBOLS.released).not.toBe(ENTRY_STATUS_SYMBOLS.pending);
	});
});

describe('historyOf', () => {
	test('the versions of one record, oldest first', () => {
		const history = historyOf(
			[version('r1', 3), released('r1', 1), version('r2', 1), version('r1', 2)],
			'r1'
		);
		expect(history.map((e) => e.id)).toEqual(['r1-v1', 'r1-v2', 'r1-v3']);
	});
});

describe('releaseQueue', () => {
	const lead = { id: LEAD, areas: ['asyl'] };

	test("waiting versions of the lead's areas by others, oldest first, with the released one they replace", () => {
		const entries: EntryV1[] = [
			released('corrected', 1, { receivedAt: '2026-11-19T09:00:00.000Z' }),
			version('corrected', 2, { receivedAt: '2026-11-20T12:00:00.000Z' }),
			version('new', 1, { receivedAt: '2026-11-20T08:00:00.000Z', authorId: COLLEAGUE }),
			version('own', 1, { authorId: LEAD, receivedAt: '2026-11-19T07:00:00.000Z' }),
			version('bildung', 1, {
				areaId: 'bildung',
				formId: courseOfferForm.id,
				receivedAt: '2026-11-18T07:00:00.000Z'
			}),
			version('decided', 1, { state: 'rejected', receivedAt: '2026-11-18T08:00:00.000Z' }),
			version('old', 1, { state: 'superseded', receivedAt: '2026-11-18T09:00:00.000Z' })
		];
		const queue = releaseQueue(entries, lead);
		expect(queue.map((item) => [item.entry.id, item.released?.id ?? null])).toEqual([
			['new-v1', null],
			['corrected-v2', 'corrected-v1']
		]);
	});

	test('a lead of several areas sees all of them; a lead of none sees nothing', () => {
		const entries = [
			version('a', 1, { receivedAt: '2026-11-20T08:00:00.000Z' }),
			version('b', 1, { areaId: 'bildung', receivedAt: '2026-11-19T08:00:00.000Z' })
		];
		expect(
			releaseQueue(entries, { id: LEAD, areas: ['asyl', 'bildung'] }).map((i) => i.entry.id)
		).toEqual(['b-v1', 'a-v1']);
		expect(releaseQueue(entries, { id: LEAD, areas: [] })).toEqual([]);
	});
});

describe('clashingRecord', () => {
	test('another waiting or released record about the same facility and day clashes', () => {
		expect(clashingRecord([version('r1', 1)], occupancyForm, hohenecker({ occupied: 5 }))).toBe(
			'r1'
		);
		expect(clashingRecord([released('r1', 1)], occupancyForm, hohenecker({ occupied: 5 }))).toBe(
			'r1'
		);
	});

	test('another facility or another day does not clash', () => {
		const entries = [released('r1', 1)];
		expect(
			clashingRecord(entries, occupancyForm, hohenecker({ facilityId: 'wh-kotten' }))
		).toBeNull();
		expect(clashingRecord(entries, occupancyForm, hohenecker({ date: '2026-11-21' }))).toBeNull();
	});

	test('a record whose latest version was rejected or superseded does not clash', () => {
		const rejected = version('r1', 1, { state: 'rejected', reviewNote: 'Nein.' });
		const superseded = version('r2', 1, { state: 'superseded' });
		expect(clashingRecord([rejected, superseded], occupancyForm, hohenecker())).toBeNull();
	});

	test("it compares with each record's latest version: a correction to another day frees the old day", () => {
		const entries = [
			version('r1', 1, { state: 'superseded' }),
			version('r1', 2, { payload: hohenecker({ date: '2026-11-19' }) })
		];
		expect(clashingRecord(entries, occupancyForm, hohenecker())).toBeNull();
		expect(clashingRecord(entries, occupancyForm, hohenecker({ date: '2026-11-19' }))).toBe('r1');
	});

	test('the record being corrected does not clash with itself, but others still do', () => {
		expect(clashingRecord([released('r1', 1)], occupancyForm, hohenecker(), 'r1')).toBeNull();
		expect(
			clashingRecord([released('r1', 1), version('r2', 1)], occupancyForm, hohenecker(), 'r1')
		).toBe('r2');
	});

	test('course offers may exist any number of times: they never clash', () => {
		const offer = {
			providerId: 'vhs',
			courseType: 'integration',
			level: 'B1',
			places: 20,
			taken: 18,
			waitingList: 7,
			start: '2026-12-07',
			districtId: 'innenstadt-ost'
		};
		const entries = [
			released('c1', 1, { formId: courseOfferForm.id, areaId: 'bildung', payload: offer })
		];
		expect(clashingRecord(entries, courseOfferForm, offer)).toBeNull();
	});

	test('records of another form never clash', () => {
		const entries = [released('r1', 1, { formId: arrivalsForm.id })];
		expect(clashingRecord(entries, occupancyForm, hohenecker())).toBeNull();
	});

	test('a street light fault clashes on light number and report day, whatever the case', () => {
		const fault = {
			lightNumber: 'L-10423',
			districtId: 'betzenberg',
			reported: '2026-11-20',
			cause: 'lamp'
		};
		const entries = [
			version('f1', 1, {
				formId: streetLightFaultForm.id,
				areaId: 'infrastruktur',
				payload: fault
			})
		];
		expect(
			clashingRecord(entries, streetLightFaultForm, {
				...fault,
				lightNumber: 'l-10423',
				cause: 'cable'
			})
		).toBe('f1');
		expect(
			clashingRecord(entries, streetLightFaultForm, { ...fault, reported: '2026-11-21' })
		).toBeNull();
	});

	test('a KPI value clashes per KPI, period and district', () => {
		const value = { kpiId: 'soz.x', period: '2026-10', districtId: 'betzenberg', value: 3 };
		const entries = [
			released('k1', 1, { formId: kpiValueForm.id, areaId: 'soziales', payload: value })
		];
		expect(clashingRecord(entries, kpiValueForm, { ...value, value: 4 })).toBe('k1');
		expect(clashingRecord(entries, kpiValueForm, { ...value, districtId: 'west' })).toBeNull();
		expect(clashingRecord(entries, kpiValueForm, { ...value, period: '2026-11' })).toBeNull();
	});

	// Regression (found by this test, fixed): the server (server/entries/lifecycle.ts submitEntry) refuses a new record
	// when ANY version of another record with the same key is pending or released. The device
	// only looks at each record's latest version, so it lets the person send an entry that the
	// server then refuses with "Dafür gibt es schon einen Eintrag" – here the released version 1
	// still holds the day while its correction to another day waits, or after it was rejected.
	test('a released version still holds its day while a correction to another day waits', () => {
		const entries = [
			released('r1', 1),
			version('r1', 2, { payload: hohenecker({ date: '2026-11-19' }) })
		];
		expect(clashingRecord(entries, occupancyForm, hohenecker({ occupied: 5 }))).toBe('r1');
	});

	test('a released version still holds its day after its correction was rejected', () => {
		const entries = [
			released('r1', 1),
			version('r1', 2, { state: 'rejected', reviewNote: 'Falsche Zahl.' })
		];
		expect(clashingRecord(entries, occupancyForm, hohenecker({ occupied: 5 }))).toBe('r1');
	});
});

const names = referenceNames({
	facilities: [
		{
			id: 'gu-hohenecker',
			name: 'GU Hohenecker Straße',
			district: 'x',
			capacity: 240,
			active: true
		}
	] satisfies Facility[],
	districts: [
		{ id: 'betzenberg', name: 'Betzenberg', sortOrder: 7, active: true },
		{ id: 'innenstadt-ost', name: 'Innenstadt-Ost', sortOrder: 1, active: true }
	] satisfies District[],
	providers: [
		{
			id: 'vhs',
			name: 'Volkshochschule',
			districtId: 'innenstadt-ost',
			district: 'Innenstadt-Ost',
			active: true
		}
	] satisfies Provider[],
	catalogue: [{ id: 'soz.x', title: 'Wohngeldhaushalte', shortTitle: 'Wohngeld' } as KpiDefinition],
	dimensions: [
		{
			id: 'origin',
			title: 'Herkunft',
			source: 'list',
			members: [
				{ id: 'syr', label: 'Syrien' },
				{ id: 'ukr', label: 'Ukraine' }
			]
		},
		{ id: 'level', title: 'Sprachniveau', source: 'list', members: [{ id: 'B1', label: 'B1' }] }
	]
});

describe('referenceNames', () => {
	test('names from the synced lists; an unknown id stays the id', () => {
		expect(names.facility('gu-hohenecker')).toBe('GU Hohenecker Straße');
		expect(names.district('betzenberg')).toBe('Betzenberg');
		expect(names.provider('vhs')).toBe('Volkshochschule');
		expect(names.kpi('soz.x')).toBe('Wohngeldhaushalte');
		expect(names.facility('wh-neu')).toBe('wh-neu');
		expect(names.district('vhs')).toBe('vhs');
		expect(names.provider('betzenberg')).toBe('betzenberg');
		expect(names.kpi('gibt.es.nicht')).toBe('gibt.es.nicht');
	});
});

describe('displayValue', () => {
	const field = (
		name: string,
		form: FormDeclaration = occupancyForm as FormDeclaration
	): FormField => form.fields.find((f) => f.name === name)!;

	test('numbers the German way', () => {
		expect(displayValue(field('occupied'), 1234, names)).toBe('1.234');
		expect(displayValue(field('value', kpiValueForm), 1234.5, names)).toBe('1.234,5');
		expect(displayValue(field('value', kpiValueForm), 0.123456, names)).toBe('0,1235');
		expect(displayValue(field('value', kpiValueForm), -3, names)).toBe('-3');
	});

	test('zero is a value; empty, null and missing are a dash', () => {
		expect(displayValue(field('occupied'), 0, names)).toBe('0');
		for (const empty of [undefined, null, '']) {
			expect(displayValue(field('occupied'), empty, names)).toBe('–');
			expect(displayValue(field('date'), empty, names)).toBe('–');
			expect(displayValue(field('overCapacity'), empty, names)).toBe('–');
		}
	});

	test('dates, weeks and periods', () => {
		expect(displayValue(field('date'), '2026-11-21', names)).toBe('21.11.2026');
		expect(displayValue(field('week', arrivalsForm), '2026-W47', names)).toBe('KW 47/2026');
		const period = field('period', kpiValueForm);
		expect(displayValue(period, '2026-11', names)).toBe('November 2026');
		expect(displayValue(period, '2026-Q4', names)).toBe('4. Quartal 2026');
		expect(displayValue(period, '2026-W03', names)).toBe('KW 03/2026');
		expect(displayValue(period, '2026-11-21', names)).toBe('21.11.2026');
		expect(displayValue(period, '2026', names)).toBe('2026');
	});

	test('select labels from fixed options and from the reference lists', () => {
		expect(displayValue(field('originGroup', arrivalsForm), 'syr', names)).toBe('Syrien');
		expect(displayValue(field('courseType', courseOfferForm), 'job', names)).toBe(
			'Berufssprachkurs'
		);
		expect(displayValue(field('cause', streetLightFaultForm), 'cable', names)).toBe('Kabelschaden');
		expect(displayValue(field('facilityId'), 'gu-hohenecker', names)).toBe('GU Hohenecker Straße');
		expect(displayValue(field('districtId', streetLightFaultForm), 'betzenberg', names)).toBe(
			'Betzenberg'
		);
		expect(displayValue(field('providerId', courseOfferForm), 'vhs', names)).toBe(
			'Volkshochschule'
		);
		expect(displayValue(field('kpiId', kpiValueForm), 'soz.x', names)).toBe('Wohngeldhaushalte');
		// An option the app no longer knows is shown as stored rather than hidden.
		expect(displayValue(field('originGroup', arrivalsForm), 'xyz', names)).toBe('xyz');
	});

	test('checkboxes read ja or nein', () => {
		expect(displayValue(field('overCapacity'), true, names)).toBe('ja');
		expect(displayValue(field('overCapacity'), false, names)).toBe('nein');
	});

	test('text as entered', () => {
		expect(displayValue(field('lightNumber', streetLightFaultForm), 'L-10423', names)).toBe(
			'L-10423'
		);
	});
});

describe('fieldLines', () => {
	test("an occupancy entry's fields in form order, labelled, without the fields it does not use", () => {
		expect(
			fieldLines(occupancyForm, hohenecker({ occupied: 1234, capacity: 1500 }), names)
		).toEqual([
			{ label: 'Einrichtung', value: 'GU Hohenecker Straße' },
			{ label: 'Stichtag', value: '20.11.2026' },
			{ label: 'Belegte Plätze', value: '1.234' },
			{ label: 'Kapazität', value: '1.500' }
		]);
	});

	test('an override is shown with its reason', () => {
		const lines = fieldLines(
			occupancyForm,
			hohenecker({
				occupied: 250,
				overCapacity: true,
				overCapacityReason: 'Notbetten in der Turnhalle'
			}),
			names
		);
		expect(lines.slice(-2)).toEqual([
			{ label: 'Überbelegung bestätigen', value: 'ja' },
			{ label: 'Begründung der Überbelegung', value: 'Notbetten in der Turnhalle' }
		]);
	});

	test('against an earlier version, only changed fields carry what they were before', () => {
		const lines = fieldLines(
			occupancyForm,
			hohenecker({ occupied: 212 }),
			names,
			hohenecker({ occupied: 1210 })
		);
		expect(lines).toEqual([
			{ label: 'Einrichtung', value: 'GU Hohenecker Straße' },
			{ label: 'Stichtag', value: '20.11.2026' },
			{ label: 'Belegte Plätze', value: '212', before: '1.210' },
			{ label: 'Kapazität', value: '240' }
		]);
		for (const line of lines.filter((l) => l.label !== 'Belegte Plätze')) {
			expect(line).not.toHaveProperty('before');
		}
	});

	test('a field set or cleared by the correction shows the dash on the empty side', () => {
		const open = {
			lightNumber: 'L-10423',
			districtId: 'betzenberg',
			reported: '2026-11-20',
			cause: 'unknown'
		};
		const fixed = { ...open, fixed: '2026-11-22', cause: 'lamp' };
		expect(fieldLines(streetLightFaultForm, fixed, names, open)).toEqual([
			{ label: 'Leuchtennummer', value: 'L-10423' },
			{ label: 'Stadtteil', value: 'Betzenberg' },
			{ label: 'Gemeldet am', value: '20.11.2026' },
			{ label: 'Behoben am', value: '22.11.2026', before: '–' },
			{ label: 'Ursache', value: 'Leuchtmittel defekt', before: 'Ursache noch unklar' }
		]);
		const reopened = fieldLines(streetLightFaultForm, open, names, fixed);
		expect(reopened.find((l) => l.label === 'Behoben am')).toEqual({
			label: 'Behoben am',
			value: '–',
			before: '22.11.2026'
		});
	});

	test('a course offer and a weekly arrival read as a person would say them', () => {
		expect(
			fieldLines(
				courseOfferForm,
				{
					providerId: 'vhs',
					courseType: 'integration',
					level: 'B1',
					places: 20,
					taken: 18,
					waitingList: 1200,
					start: '2026-12-07',
					districtId: 'innenstadt-ost'
				},
				names
			).map((l) => `${l.label}: ${l.value}`)
		).toEqual([
			'Kursträger: Volkshochschule',
			'Kursart: Integrationskurs',
			'Sprachniveau (Ziel): B1',
			'Kursplätze: 20',
			'davon belegt: 18',
			'Warteliste: 1.200',
			'Kursbeginn: 07.12.2026',
			'Stadtteil des Kursorts: Innenstadt-Ost'
		]);
		expect(
			fieldLines(
				arrivalsForm,
				{ week: '2026-W47', originGroup: 'ukr', persons: 12, minors: 5 },
				names
			).map((l) => `${l.label}: ${l.value}`)
		).toEqual([
			'Kalenderwoche: KW 47/2026',
			'Herkunftsgruppe: Ukraine',
			'Zugänge: 12',
			'davon minderjährig: 5'
		]);
	});

	test('a KPI value without a district has no district line', () => {
		expect(
			fieldLines(kpiValueForm, { kpiId: 'soz.x', period: '2026-Q3', value: 1234.5 }, names)
		).toEqual([
			{ label: 'Kennzahl', value: 'Wohngeldhaushalte' },
			{ label: 'Zeitraum', value: '3. Quartal 2026' },
			{ label: 'Wert', value: '1.234,5' }
		]);
	});
});

describe('formOf', () => {
	test('finds the declaration by id', () => {
		expect(formOf(occupancyForm.id)).toBe(occupancyForm);
		expect(formOf(streetLightFaultForm.id)).toBe(streetLightFaultForm);
		expect(formOf('asyl.belegung.v0')).toBeUndefined();
	});
});
