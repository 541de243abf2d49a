import { and, eq } from 'drizzle-orm';
import { addDays, differenceInCalendarDays } from 'date-fns';
import type { DbOrTx } from '#server/db/connection';
import { courseProviders, districts, facilities } from '#server/db/schema';
import {
	loadDefinition,
	loadDefinitionsByIds,
	loadDimensions,
	publicDefinition
} from '#server/kpis/catalogue';
import { dimensionKeyOf, membersOf } from '#server/kpis/aggregate';
import { isDerived } from '#shared/catalogue';
import type { AreaId } from '#shared/areas';
import {
	arrivalsForm,
	courseOfferForm,
	kpiValueForm,
	FORM_TARGETS,
	kpiValueProblems,
	occupancyForm,
	optionDimension,
	type FormDeclaration,
	streetLightFaultForm,
	type ArrivalsEntry,
	type CourseOfferEntry,
	type KpiValueEntry,
	type OccupancyEntry,
	type StreetLightFaultEntry
} from '#shared/forms/index';
import { parseIsoDate, periodOf, toIsoDate } from '#shared/periods';
import { writableAreas, type Principal } from '#shared/permissions';
import type { RejectionV1 } from '#shared/protocol';

/**
 * One observation cell an entry writes. `set`: the entry's value is the cell's value (one record
 * per cell, the form's key sees to that). `add`: the entry is counted on top of what the cell
 * holds from other sources – a reported fault adds one open fault to its district's days.
 */
export interface EntryCell {
	kpiId: string;
	period: string;
	dimensionKey: string;
	value: number;
	mode: 'set' | 'add';
}

/** What a form's entries do on the server: check references, name their area, write cells. */
export interface FormEffect<P> {
	/** A rejection when the entry refers to something that does not exist, else null. */
	checkReferences(db: DbOrTx, payload: P, principal: Principal): RejectionV1 | null;
	/** The area of an entry, for forms whose area depends on the payload. */
	areaOf?(db: DbOrTx, payload: P): AreaId | null;
	/** The cells the entry writes, as of `today` (open faults count up to today). */
	cells(payload: P, today: Date): EntryCell[];
}

function unknownReference(
	field: string,
	message: string,
	detail: string,
	fieldMessage = 'Unbekannt oder nicht mehr aktiv.'
): RejectionV1 {
	return { code: 'unknown_reference', message, detail, fieldErrors: { [field]: fieldMessage } };
}

function activeDistrict(db: DbOrTx, id: string): boolean {
	return Boolean(
		db
			.select({ id: districts.id })
			.from(districts)
			.where(and(eq(districts.id, id), eq(districts.active, true)))
			.get()
	);
}

function districtProblem(db: DbOrTx, id: string | undefined): RejectionV1 | null {
	if (!id || activeDistrict(db, id)) return null;
	return unknownReference(
		'districtId',
		'Diesen Stadtteil gibt es nicht (mehr). Bitte einen anderen wählen.',
		`district ${id} does not exist or is inactive`
	);
}

const occupancyEffect: FormEffect<OccupancyEntry> = {
	checkReferences(db, payload) {
		const facility = db
			.select({ active: facilities.active })
			.from(facilities)
			.where(eq(facilities.id, payload.facilityId))
			.get();
		if (facility?.active) return null;
		return unknownReference(
			'facilityId',
			'Diese Einrichtung gibt es nicht (mehr). Bitte eine andere Einrichtung wählen.',
			`facility ${payload.facilityId} does not exist or is inactive`,
			'Unbekannte oder geschlossene Einrichtung.'
		);
	},
	cells(payload) {
		const dimensionKey = dimensionKeyOf({ facility: payload.facilityId });
		return [
			{
				kpiId: FORM_TARGETS.occupancy,
				period: payload.date,
				dimensionKey,
				value: payload.occupied,
				mode: 'set'
			},
			{
				kpiId: FORM_TARGETS.capacity,
				period: payload.date,
				dimensionKey,
				value: payload.capacity,
				mode: 'set'
			}
		];
	}
};

const arrivalsEffect: FormEffect<ArrivalsEntry> = {
	checkReferences: () => null,
	cells(payload) {
		const dimensionKey = dimensionKeyOf({ origin: payload.originGroup });
		return [
			{
				kpiId: FORM_TARGETS.arrivals,
				period: payload.week,
				dimensionKey,
				value: payload.persons,
				mode: 'set'
			},
			{
				kpiId: FORM_TARGETS.arrivalMinors,
				period: payload.week,
				dimensionKey,
				value: payload.minors,
				mode: 'set'
			}
		];
	}
};

const courseOfferEffect: FormEffect<CourseOfferEntry> = {
	checkReferences(db, payload) {
		const provider = db
			.select({ active: courseProviders.active })
			.from(courseProviders)
			.where(eq(courseProviders.id, payload.providerId))
			.get();
		if (!provider?.active) {
			return unknownReference(
				'providerId',
				'Diesen Kursträger gibt es nicht (mehr). Bitte einen anderen wählen.',
				`course provider ${payload.providerId} does not exist or is inactive`
			);
		}
		return districtProblem(db, payload.districtId);
	},
	cells(payload) {
		// The course's places and waiting list count in the month it starts, by target level.
		const period = periodOf(parseIsoDate(payload.start)!, 'monthly');
		const dimensionKey = dimensionKeyOf({ level: payload.level });
		return [
			{
				kpiId: FORM_TARGETS.coursePlaces,
				period,
				dimensionKey,
				value: payload.places,
				mode: 'add'
			},
			{
				kpiId: FORM_TARGETS.courseWaitingList,
				period,
				dimensionKey,
				value: payload.waitingList,
				mode: 'add'
			}
		];
	}
};

/** A fault counts at most this long, so a forgotten "fixed" date cannot write years of cells. */
export const MAX_OPEN_FAULT_DAYS = 400;

export function faultCells(payload: StreetLightFaultEntry, today: Date): EntryCell[] {
	const reported = parseIsoDate(payload.reported)!;
	const fixed = payload.fixed ? parseIsoDate(payload.fixed) : null;
	const dimensionKey = dimensionKeyOf({ district: payload.districtId });
	const cells: EntryCell[] = [];
	const lastDay = Math.min(differenceInCalendarDays(today, reported), MAX_OPEN_FAULT_DAYS - 1);
	// Open from the day it was reported up to the day before the repair (or today); from the
	// repair on it adds nothing, but the zero keeps the district's cell in the count.
	for (let offset = 0; offset <= lastDay; offset++) {
		const day = addDays(reported, offset);
		const open = fixed === null || day < fixed;
		cells.push({
			kpiId: FORM_TARGETS.openFaults,
			period: toIsoDate(day),
			dimensionKey,
			value: open ? 1 : 0,
			mode: 'add'
		});
	}
	return cells;
}

const streetLightFaultEffect: FormEffect<StreetLightFaultEntry> = {
	checkReferences: (db, payload) => districtProblem(db, payload.districtId),
	cells: faultCells
};

const kpiValueEffect: FormEffect<KpiValueEntry> = {
	areaOf(db, payload) {
		return (loadDefinition(db, payload.kpiId)?.areaId as AreaId | undefined) ?? null;
	},
	checkReferences(db, payload, principal) {
		const found = loadDefinition(db, payload.kpiId);
		const stored = found?.active ? found : undefined;
		const problems = kpiValueProblems(
			payload,
			stored ? publicDefinition(stored) : undefined,
			writableAreas(principal)
		);
		const fields = Object.keys(problems);
		if (fields.length) {
			return {
				code: problems.kpiId ? 'forbidden' : 'validation',
				message: `Der Eintrag passt nicht zur Kennzahl: ${Object.values(problems).join(' ')}`,
				detail: `value for ${payload.kpiId} fails the KPI's rules: ${fields.join(', ')}`,
				fieldErrors: problems
			};
		}
		return districtProblem(db, payload.districtId);
	},
	cells(payload) {
		const dimensionKey = payload.districtId ? dimensionKeyOf({ district: payload.districtId }) : '';
		return [
			{
				kpiId: payload.kpiId,
				period: payload.period,
				dimensionKey,
				value: payload.value,
				mode: 'set'
			}
		];
	}
};

export const FORM_EFFECTS: Record<string, FormEffect<never>> = {
	[occupancyForm.id]: occupancyEffect as FormEffect<never>,
	[arrivalsForm.id]: arrivalsEffect as FormEffect<never>,
	[courseOfferForm.id]: courseOfferEffect as FormEffect<never>,
	[streetLightFaultForm.id]: streetLightFaultEffect as FormEffect<never>,
	[kpiValueForm.id]: kpiValueEffect as FormEffect<never>
};

/**
 * Refuses an entry whose cells would go where the catalogue does not take them: a KPI that is
 * missing, retired or derived (a derived KPI is computed, never entered), or a member that the
 * dimension's fixed list does not have (an origin group the catalogue dropped). Checked for every
 * form, so a catalogue change can never let an entry write beside it.
 */
export function cellProblem(
	db: DbOrTx,
	form: FormDeclaration,
	cells: readonly EntryCell[]
): RejectionV1 | null {
	const ids = [...new Set(cells.map((cell) => cell.kpiId))];
	const definitions = new Map(loadDefinitionsByIds(db, ids).map((d) => [d.id, d]));
	const contact = 'Bitte wenden Sie sich an das Zentralcontrolling.';
	for (const id of ids) {
		const definition = definitions.get(id);
		if (!definition) {
			return {
				code: 'unknown_reference',
				message: `Die Kennzahl „${id}“, in die dieses Formular schreibt, fehlt im Katalog. ${contact}`,
				detail: `form ${form.id} writes KPI ${id}, which is not in the catalogue`
			};
		}
		if (!definition.active) {
			return {
				code: 'unknown_reference',
				message: `Die Kennzahl „${definition.title}“ ist stillgelegt und nimmt keine Einträge an. ${contact}`,
				detail: `form ${form.id} writes KPI ${id}, which is retired`
			};
		}
		if (isDerived(definition.formula) || definition.source.kind === 'derived') {
			return {
				code: 'validation',
				message: `Die Kennzahl „${definition.title}“ wird berechnet und kann nicht erfasst werden. ${contact}`,
				detail: `form ${form.id} writes KPI ${id}, which is derived`
			};
		}
	}
	const lists = new Map(
		loadDimensions(db)
			.filter((d) => d.source === 'list')
			.map((d) => [d.id, new Set(d.members.map((m) => m.id))])
	);
	for (const cell of cells) {
		for (const [dimension, member] of Object.entries(membersOf(cell.dimensionKey))) {
			const members = lists.get(dimension);
			if (!members || members.has(member)) continue;
			const field = form.fields.find((f) => optionDimension(f.options) === dimension)?.name;
			return {
				code: 'unknown_reference',
				message: `„${member}“ steht nicht (mehr) in der Liste des Katalogs. Bitte einen anderen Eintrag wählen.`,
				detail: `member ${member} is not in the list of dimension ${dimension}`,
				...(field ? { fieldErrors: { [field]: 'Unbekannt oder nicht mehr in der Liste.' } } : {})
			};
		}
	}
	return null;
}
