import { membersOf } from '#server/kpis/aggregate';
import { FINANZEN_KPI, PRODUKTBEREICHE } from '#server/db/demo/ids/finanzen';
import type { FeedDefinitionInput } from '#shared/feeds';
import type { GeneratedObservation } from '#server/db/demo/rows';
import { csvLine, germanNumber, windowsLines } from './format';

/** "Kontenart" of the finance export → the plan and the actual KPI, in the export's order. */
const KONTENARTEN = {
	Erträge: { plan: FINANZEN_KPI.revenuePlan, ist: FINANZEN_KPI.revenueActual },
	Aufwendungen: { plan: FINANZEN_KPI.expensesPlan, ist: FINANZEN_KPI.expensesActual },
	'Auszahlungen für Investitionen': {
		plan: FINANZEN_KPI.investmentPlan,
		ist: FINANZEN_KPI.investmentActual
	},
	Gewerbesteuer: { plan: FINANZEN_KPI.tradeTaxPlan, ist: FINANZEN_KPI.tradeTaxActual },
	'Grundsteuer B': { plan: FINANZEN_KPI.propertyTaxPlan, ist: FINANZEN_KPI.propertyTaxActual }
} as const;

type Kontenart = keyof typeof KONTENARTEN;
const kontenarten = Object.keys(KONTENARTEN) as Kontenart[];

/** The plan and actual KPIs of the finance feed (not the forecast, cash credits or debt). */
export const FINANCE_KPIS: string[] = kontenarten.flatMap((k) => [
	KONTENARTEN[k].plan,
	KONTENARTEN[k].ist
]);

const lookupOf = (which: 'plan' | 'ist') =>
	Object.fromEntries(kontenarten.map((k) => [k, KONTENARTEN[k][which]]));

export const FINANCE_FEED: FeedDefinitionInput = {
	id: 'finanzbuchungen',
	title: 'Finanzbuchungen (Plan und Ist)',
	description:
		'Export der Finanzsoftware zum Monatsabschluss: Buchungen nach Buchungsperiode, Produktbereich und Kontenart, mit dem auf die Monate verteilten Ansatz (Plan) und dem gebuchten Ist; Gewerbe- und Grundsteuer ohne Produktbereich. Beträge je Monat, die Summe im Haushaltsjahr bildet KLAR.',
	owner: {
		department: 'Stadtkämmerei',
		contact: 'Abteilung Haushalt und Controlling',
		email: 'haushalt@stadt.example'
	},
	source: {
		format: 'csv',
		dialect: { delimiter: ';', encoding: 'utf-8', decimal: ',', thousands: '.', header: true }
	},
	mapping: {
		period: { column: 'Buchungsperiode', format: 'MM.YYYY' },
		dimensions: {
			produktbereich: {
				column: 'Produktbereich',
				lookup: Object.fromEntries(Object.entries(PRODUKTBEREICHE).map(([id, name]) => [name, id])),
				total: ['']
			}
		},
		values: [
			{ column: 'Plan', kpi: { column: 'Kontenart', lookup: lookupOf('plan') } },
			{ column: 'Ist', kpi: { column: 'Kontenart', lookup: lookupOf('ist') } }
		]
	},
	cadence: 'monthly',
	// The monthly close is done by the 20th of the following month.
	graceDays: 20
};

const COLUMNS = ['Buchungsperiode', 'Produktbereich', 'Kontenart', 'Plan', 'Ist', 'Abweichung'];

const roleOf = new Map<string, { kontenart: Kontenart; which: 'plan' | 'ist' }>(
	kontenarten.flatMap((kontenart) =>
		(['plan', 'ist'] as const).map((which) => [KONTENARTEN[kontenart][which], { kontenart, which }])
	)
);
const produktbereichOrder = new Map(Object.keys(PRODUKTBEREICHE).map((id, i) => [id, i]));

const euros = (value: number | undefined) => (value === undefined ? '' : germanNumber(value, 2));

/**
 * The finance software's export: one line per month, Kontenart and Produktbereich with the
 * month's plan and actual amount (actual empty while the month is not closed), in UTF-8 with
 * a byte order mark as Excel-friendly exports have it. Other rows are ignored.
 */
export function financeExport(rows: readonly GeneratedObservation[]): Buffer {
	const lines = new Map<
		string,
		{ month: string; kontenart: Kontenart; pb: string; plan?: number; ist?: number }
	>();
	for (const r of rows) {
		const role = roleOf.get(r.kpiId);
		if (!role) continue;
		const { produktbereich: pb = '', ...rest } = membersOf(r.dimensionKey);
		if (Object.keys(rest).length)
			throw new Error(`finance: unexpected dimension ${r.dimensionKey}`);
		const key = `${r.period}|${role.kontenart}|${pb}`;
		const line = lines.get(key) ?? { month: r.period, kontenart: role.kontenart, pb };
		line[role.which] = r.value;
		lines.set(key, line);
	}
	const sorted = [...lines.values()].sort(
		(a, b) =>
			a.month.localeCompare(b.month) ||
			kontenarten.indexOf(a.kontenart) - kontenarten.indexOf(b.kontenart) ||
			(produktbereichOrder.get(a.pb) ?? -1) - (produktbereichOrder.get(b.pb) ?? -1)
	);
	const text = windowsLines([
		csvLine(COLUMNS),
		...sorted.map((l) =>
			csvLine([
				`${l.month.slice(5)}.${l.month.slice(0, 4)}`,
				l.pb ? PRODUKTBEREICHE[l.pb]! : '',
				l.kontenart,
				euros(l.plan),
				euros(l.ist),
				l.plan !== undefined && l.ist !== undefined ? euros(l.ist - l.plan) : ''
			])
		)
	]);
	return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
