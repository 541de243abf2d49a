import { z } from 'zod';
import { choice, germanDate, isoDate, oneOf, perDay, type FormDeclaration } from './fields';

export const FAULT_CAUSES = {
	lamp: 'Leuchtmittel defekt',
	cable: 'Kabelschaden',
	control: 'Steuerung / Schaltstelle',
	mast: 'Mast beschädigt (Unfall)',
	vandalism: 'Vandalismus',
	unknown: 'Ursache noch unklar'
} as const;

export const StreetLightFaultEntryV1 = perDay((today: string) =>
	z
		.object({
			lightNumber: z
				.string({ error: 'Bitte die Leuchtennummer angeben.' })
				.trim()
				.regex(
					/^[A-Z0-9-]{2,20}$/i,
					'Bitte die Leuchtennummer vom Mastschild angeben (z. B. L-10423).'
				),
			districtId: choice('Bitte den Stadtteil wählen.'),
			reported: isoDate('das Meldedatum', today),
			fixed: z.union([isoDate('das Datum der Behebung', today), z.literal('')]).optional(),
			cause: oneOf(FAULT_CAUSES, 'Bitte die Ursache wählen.')
		})
		.refine((entry) => !entry.fixed || entry.fixed >= entry.reported, {
			path: ['fixed'],
			message: 'Die Störung kann nicht vor ihrer Meldung behoben worden sein.'
		})
);
export type StreetLightFaultEntry = z.infer<ReturnType<typeof StreetLightFaultEntryV1>>;

export const streetLightFaultForm: FormDeclaration<ReturnType<typeof StreetLightFaultEntryV1>> = {
	id: 'infrastruktur.stoerung.v1',
	slug: 'stoerung',
	areaId: 'infrastruktur',
	title: 'Störung Straßenbeleuchtung',
	description:
		'Eine gemeldete Störung einer Leuchte; nach der Reparatur mit Datum der Behebung korrigieren.',
	fields: [
		{
			name: 'lightNumber',
			label: 'Leuchtennummer',
			kind: 'text',
			hint: 'Steht auf dem Schild am Mast, z. B. L-10423'
		},
		{ name: 'districtId', label: 'Stadtteil', kind: 'select', options: 'districts' },
		{ name: 'reported', label: 'Gemeldet am', kind: 'date' },
		{
			name: 'fixed',
			label: 'Behoben am',
			kind: 'date',
			optional: true,
			hint: 'Leer lassen, solange die Störung besteht'
		},
		{ name: 'cause', label: 'Ursache', kind: 'select', options: FAULT_CAUSES }
	],
	schema: StreetLightFaultEntryV1,
	defaults: (today) => ({ reported: today }),
	key: (entry) => `${entry.lightNumber.toUpperCase()}|${entry.reported}`,
	summary: (entry, names) =>
		`Leuchte ${entry.lightNumber.toUpperCase()} (${names.district(entry.districtId)}), gemeldet ${germanDate(entry.reported)}: ${entry.fixed ? `behoben ${germanDate(entry.fixed)}` : 'offen'}`
};
