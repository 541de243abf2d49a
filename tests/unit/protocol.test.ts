import { describe, expect, test } from 'vitest';
import {
	ChangeV1,
	isSupportedSchemaVersion,
	PullResponseV1,
	PushRequestV1,
	SYNC_SCHEMA_VERSION
} from '#shared/protocol';

const facility = { id: 'gu-1', name: 'GU Eins', district: 'West', capacity: 100, active: true };
const snapshot = {
	kpiId: 'asyl.belegung',
	areaId: 'asyl',
	period: '2026-11-21',
	value: 84,
	previousPeriod: '2026-11-20',
	previousValue: 80,
	change: 4,
	changePercent: 5,
	status: 'none',
	series: { start: '2026-11-21', values: [84] },
	breakdownDimension: null,
	breakdown: [],
	asOf: '2026-11-21',
	overdue: false,
	nextExpectedUpdate: '2026-11-24',
	computedAt: '2026-11-22T06:00:00.000Z'
};

describe('ChangeV1', () => {
	test('parses a put of each entity and a tombstone', () => {
		const changes = [
			{ op: 'put', entity: 'facility.v1', id: 'gu-1', data: facility },
			{ op: 'put', entity: 'snapshot.v2', id: 'asyl.belegung', data: snapshot },
			{ op: 'delete', entity: 'kpi.v2', id: 'asyl.belegung' },
			{
				op: 'put',
				entity: 'area.v1',
				id: 'asyl',
				data: { id: 'asyl', title: 'Asyl', description: '', sortOrder: 20, openDataTheme: 'SOCI' }
			},
			{
				op: 'put',
				entity: 'dimension.v1',
				id: 'origin',
				data: {
					id: 'origin',
					title: 'Herkunft',
					source: 'list',
					members: [{ id: 'ukr', label: 'Ukraine' }]
				}
			},
			{ op: 'delete', entity: 'facility.v1', id: 'gu-1' }
		];
		for (const change of changes) expect(ChangeV1.parse(change)).toEqual(change);
	});

	test('a put must carry the data of its own entity', () => {
		expect(
			ChangeV1.safeParse({ op: 'put', entity: 'facility.v1', id: 'x', data: snapshot }).success
		).toBe(false);
		expect(
			ChangeV1.safeParse({ op: 'put', entity: 'snapshot.v2', id: 'x', data: facility }).success
		).toBe(false);
		expect(ChangeV1.safeParse({ op: 'put', entity: 'facility.v1', id: 'x' }).success).toBe(false);
	});

	test('unknown entities and operations are refused', () => {
		expect(ChangeV1.safeParse({ op: 'delete', entity: 'user.v1', id: 'u' }).success).toBe(false);
		expect(ChangeV1.safeParse({ op: 'patch', entity: 'kpi.v2', id: 'k' }).success).toBe(false);
	});

	test('a whole pull page parses', () => {
		const page = {
			kind: 'changes',
			changes: [{ op: 'put', entity: 'facility.v1', id: 'gu-1', data: facility }],
			cursor: 'abc',
			hasMore: false,
			serverTime: '2026-11-22T06:00:00.000Z'
		};
		expect(PullResponseV1.parse(page)).toEqual(page);
	});
});

describe('PushRequestV1', () => {
	const entry = {
		id: '6f1c3b1e-6a57-4c1f-9d7e-2f0a8f8e4b11',
		formId: 'asyl.belegung.v1',
		authorId: 'u-erfassung',
		createdAt: '2026-11-21T08:00:00.000Z',
		payload: {}
	};

	test('needs at least one entry, at most 100, each with a UUID', () => {
		expect(PushRequestV1.safeParse({ schemaVersion: 1, entries: [entry] }).success).toBe(true);
		expect(PushRequestV1.safeParse({ schemaVersion: 1, entries: [] }).success).toBe(false);
		expect(
			PushRequestV1.safeParse({ schemaVersion: 1, entries: Array(101).fill(entry) }).success
		).toBe(false);
		expect(
			PushRequestV1.safeParse({ schemaVersion: 1, entries: [{ ...entry, id: 'eins' }] }).success
		).toBe(false);
	});
});

describe('isSupportedSchemaVersion', () => {
	test('the current version is supported, older and unknown ones are not', () => {
		expect(isSupportedSchemaVersion(SYNC_SCHEMA_VERSION)).toBe(true);
		expect(isSupportedSchemaVersion(0)).toBe(false);
		expect(isSupportedSchemaVersion(SYNC_SCHEMA_VERSION + 1)).toBe(false);
	});
});
