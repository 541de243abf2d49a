import { eq, max } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { courseProviders, districts, facilities } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { recordChange } from '#server/sync/change-log';
import { DISTRICT_SCOPE, FACILITY_SCOPE, PROVIDER_SCOPE } from '#server/sync/pull';
import { canAdminister, type Principal } from '#shared/permissions';
import { fieldErrorsOf, type FieldErrors } from '#shared/field-errors';
import {
	DistrictInput,
	FacilityInput,
	nameKey,
	ProviderInput,
	REFERENCE_AUDIT_ENTITY,
	REFERENCE_WORDS,
	uniqueSlug,
	type DistrictRow,
	type FacilityRow,
	type ProviderRow,
	type ReferenceKind,
	type SaveResult
} from '#shared/reference';

/**
 * Upkeep of the reference lists. Entries are never deleted (form entries and observations
 * refer to them by id), only deactivated, so pickers stop offering them. Every change writes
 * the row, an audit record and a sync change in one transaction.
 */

export class ReferenceAccessError extends Error {
	constructor() {
		super('Only administrators maintain reference lists');
	}
}

function assertAdmin(principal: Principal): void {
	if (!canAdminister(principal)) throw new ReferenceAccessError();
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'de');

export function listDistricts(db: DbOrTx): DistrictRow[] {
	return db
		.select({
			id: districts.id,
			name: districts.name,
			sortOrder: districts.sortOrder,
			active: districts.active,
			updatedAt: districts.updatedAt
		})
		.from(districts)
		.all()
		.sort((a, b) => a.sortOrder - b.sortOrder || byName(a, b));
}

export function listFacilities(db: DbOrTx): FacilityRow[] {
	return db
		.select({
			id: facilities.id,
			name: facilities.name,
			districtId: facilities.districtId,
			district: districts.name,
			capacity: facilities.capacity,
			active: facilities.active,
			updatedAt: facilities.updatedAt
		})
		.from(facilities)
		.innerJoin(districts, eq(districts.id, facilities.districtId))
		.all()
		.sort(byName);
}

export function listProviders(db: DbOrTx): ProviderRow[] {
	return db
		.select({
			id: courseProviders.id,
			name: courseProviders.name,
			districtId: courseProviders.districtId,
			district: districts.name,
			active: courseProviders.active,
			updatedAt: courseProviders.updatedAt
		})
		.from(courseProviders)
		.innerJoin(districts, eq(districts.id, courseProviders.districtId))
		.all()
		.sort(byName);
}

interface Named {
	id: string;
	name: string;
	active: boolean;
}

/** The checks every list shares: the entry to update exists, and no other entry has the name. */
function checkNameAndTarget(
	kind: ReferenceKind,
	existing: Named[],
	input: { id?: string; name: string }
): FieldErrors | null {
	if (input.id !== undefined && !existing.some((e) => e.id === input.id)) {
		return { _form: 'Diesen Eintrag gibt es nicht (mehr). Bitte die Liste neu laden.' };
	}
	const twin = existing.find((e) => e.id !== input.id && nameKey(e.name) === nameKey(input.name));
	if (twin) {
		const state = twin.active ? '' : ' (inaktiv)';
		return {
			name: `„${twin.name}“${state} gibt es in der Liste der ${REFERENCE_WORDS[kind].many} schon. Bitte einen anderen Namen wählen${twin.active ? '' : ' oder den vorhandenen Eintrag wieder aktivieren'}.`
		};
	}
	return null;
}

/** A district an entry may point to: it exists, and it is active unless the entry already had it. */
function checkDistrict(
	db: DbOrTx,
	districtId: string,
	currentDistrictId: string | undefined
): FieldErrors | null {
	const district = db
		.select({ name: districts.name, active: districts.active })
		.from(districts)
		.where(eq(districts.id, districtId))
		.get();
	if (!district)
		return { districtId: 'Diesen Stadtteil gibt es nicht. Bitte einen Stadtteil wählen.' };
	if (!district.active && districtId !== currentDistrictId) {
		return {
			districtId: `Der Stadtteil „${district.name}“ ist inaktiv. Bitte einen aktiven Stadtteil wählen.`
		};
	}
	return null;
}

function changedKeys<T extends object>(old: T, next: T): (keyof T)[] {
	return (Object.keys(next) as (keyof T)[]).filter((key) => old[key] !== next[key]);
}

/** Creates (no id) or updates a district; a rename reaches the snapshots and the lists naming it. */
export function saveDistrict(
	db: DbOrTx,
	principal: Principal,
	draft: unknown,
	now: Date
): SaveResult<DistrictRow> {
	assertAdmin(principal);
	const parsed = DistrictInput.safeParse(draft);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const input = parsed.data;
	return db.transaction((tx) => {
		const t = tx;
		const existing = listDistricts(t);
		const refused = checkNameAndTarget('district', existing, input);
		if (refused) return { ok: false, fieldErrors: refused };
		const old = existing.find((d) => d.id === input.id);
		const at = now.toISOString();
		let id: string;
		if (old) {
			const before = { name: old.name, sortOrder: old.sortOrder, active: old.active };
			const after = { ...before, name: input.name, active: input.active };
			if (!changedKeys(before, after).length) return { ok: true, outcome: 'unchanged', item: old };
			id = old.id;
			tx.update(districts)
				.set({ name: after.name, active: after.active, updatedAt: at })
				.where(eq(districts.id, id))
				.run();
			writeAudit(t, principal, 'district', id, before, after, now);
			recordChange(t, { entity: 'district.v1', id, op: 'put', ...DISTRICT_SCOPE }, now);
			if (after.name !== before.name) {
				// Facilities and providers carry their district's name to the devices.
				for (const f of tx
					.select({ id: facilities.id })
					.from(facilities)
					.where(eq(facilities.districtId, id))
					.all()) {
					recordChange(t, { entity: 'facility.v1', id: f.id, op: 'put', ...FACILITY_SCOPE }, now);
				}
				for (const p of tx
					.select({ id: courseProviders.id })
					.from(courseProviders)
					.where(eq(courseProviders.districtId, id))
					.all()) {
					recordChange(t, { entity: 'provider.v1', id: p.id, op: 'put', ...PROVIDER_SCOPE }, now);
				}
				rebuildSnapshots(t, 'all', now);
			}
		} else {
			const ids = new Set(existing.map((d) => d.id));
			id = uniqueSlug(input.name, (candidate) => ids.has(candidate));
			const sortOrder =
				(tx
					.select({ last: max(districts.sortOrder) })
					.from(districts)
					.get()?.last ?? 0) + 1;
			const after = { name: input.name, sortOrder, active: input.active };
			tx.insert(districts)
				.values({ id, ...after, updatedAt: at })
				.run();
			writeAudit(t, principal, 'district', id, undefined, after, now);
			recordChange(t, { entity: 'district.v1', id, op: 'put', ...DISTRICT_SCOPE }, now);
		}
		const item = listDistricts(t).find((d) => d.id === id)!;
		return { ok: true, outcome: old ? 'updated' : 'created', item };
	});
}

/** Creates or updates an accommodation facility; a rename reaches the KPI breakdowns. */
export function saveFacility(
	db: DbOrTx,
	principal: Principal,
	draft: unknown,
	now: Date
): SaveResult<FacilityRow> {
	assertAdmin(principal);
	const parsed = FacilityInput.safeParse(draft);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const input = parsed.data;
	return db.transaction((tx) => {
		const t = tx;
		const existing = listFacilities(t);
		const old = existing.find((f) => f.id === input.id);
		const refused =
			checkNameAndTarget('facility', existing, input) ??
			checkDistrict(t, input.districtId, old?.districtId);
		if (refused) return { ok: false, fieldErrors: refused };
		const after = {
			name: input.name,
			districtId: input.districtId,
			capacity: input.capacity,
			active: input.active
		};
		const at = now.toISOString();
		let id: string;
		if (old) {
			const before = {
				name: old.name,
				districtId: old.districtId,
				capacity: old.capacity,
				active: old.active
			};
			if (!changedKeys(before, after).length) return { ok: true, outcome: 'unchanged', item: old };
			id = old.id;
			tx.update(facilities)
				.set({ ...after, updatedAt: at })
				.where(eq(facilities.id, id))
				.run();
			writeAudit(t, principal, 'facility', id, before, after, now);
			recordChange(t, { entity: 'facility.v1', id, op: 'put', ...FACILITY_SCOPE }, now);
			if (after.name !== before.name) rebuildSnapshots(t, 'all', now);
		} else {
			const ids = new Set(existing.map((f) => f.id));
			id = uniqueSlug(input.name, (candidate) => ids.has(candidate));
			tx.insert(facilities)
				.values({ id, ...after, updatedAt: at })
				.run();
			writeAudit(t, principal, 'facility', id, undefined, after, now);
			recordChange(t, { entity: 'facility.v1', id, op: 'put', ...FACILITY_SCOPE }, now);
		}
		const item = listFacilities(t).find((f) => f.id === id)!;
		return { ok: true, outcome: old ? 'updated' : 'created', item };
	});
}

/** Creates or updates a language-course provider. */
export function saveProvider(
	db: DbOrTx,
	principal: Principal,
	draft: unknown,
	now: Date
): SaveResult<ProviderRow> {
	assertAdmin(principal);
	const parsed = ProviderInput.safeParse(draft);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const input = parsed.data;
	return db.transaction((tx) => {
		const t = tx;
		const existing = listProviders(t);
		const old = existing.find((p) => p.id === input.id);
		const refused =
			checkNameAndTarget('provider', existing, input) ??
			checkDistrict(t, input.districtId, old?.districtId);
		if (refused) return { ok: false, fieldErrors: refused };
		const after = { name: input.name, districtId: input.districtId, active: input.active };
		const at = now.toISOString();
		let id: string;
		if (old) {
			const before = { name: old.name, districtId: old.districtId, active: old.active };
			if (!changedKeys(before, after).length) return { ok: true, outcome: 'unchanged', item: old };
			id = old.id;
			tx.update(courseProviders)
				.set({ ...after, updatedAt: at })
				.where(eq(courseProviders.id, id))
				.run();
			writeAudit(t, principal, 'provider', id, before, after, now);
		} else {
			const ids = new Set(existing.map((p) => p.id));
			id = uniqueSlug(input.name, (candidate) => ids.has(candidate));
			tx.insert(courseProviders)
				.values({ id, ...after, updatedAt: at })
				.run();
			writeAudit(t, principal, 'provider', id, undefined, after, now);
		}
		recordChange(t, { entity: 'provider.v1', id, op: 'put', ...PROVIDER_SCOPE }, now);
		const item = listProviders(t).find((p) => p.id === id)!;
		return { ok: true, outcome: old ? 'updated' : 'created', item };
	});
}

function writeAudit(
	db: DbOrTx,
	principal: Principal,
	kind: ReferenceKind,
	id: string,
	oldValue: object | undefined,
	newValue: object,
	now: Date
): void {
	appendAudit(
		db,
		{
			userId: principal.id,
			action: oldValue ? 'reference.update' : 'reference.create',
			entity: REFERENCE_AUDIT_ENTITY[kind],
			entityId: id,
			oldValue,
			newValue
		},
		now
	);
}
