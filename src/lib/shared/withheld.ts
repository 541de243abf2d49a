/**
 * How a withheld figure (statistical confidentiality) is written: "•" as the official statistics
 * print it, and the footnote that says why. Shared, because the server writes it into open-data
 * files and the phone into its own downloads and tables.
 */
export const SUPPRESSED_MARK = '•';

/** "• Aus Gründen der statistischen Geheimhaltung nicht ausgewiesen (weniger als 3 Fälle)." */
export function suppressionFootnote(minCount: number): string {
	return `${SUPPRESSED_MARK} Aus Gründen der statistischen Geheimhaltung nicht ausgewiesen (weniger als ${minCount} ${minCount === 1 ? 'Fall' : 'Fälle'}).`;
}
