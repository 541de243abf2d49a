import type { Reading } from '#shared/comparisons';
import type { KpiSnapshot, SuppressionMarks } from '#shared/kpi';
import { expandSeries } from '#shared/series';
import { SUPPRESSED_MARK, suppressionFootnote } from '#shared/withheld';

/**
 * How withheld figures (statistical confidentiality) are shown: "•" as the official statistics
 * print it, a text for screen readers, and a footnote that says why. The server has already
 * replaced the figures by null; these helpers only read its marks.
 */
export { SUPPRESSED_MARK, suppressionFootnote };

/** What a screen reader says instead of the "•". */
export const SUPPRESSED_LABEL = 'geheim (kleine Fallzahl)';

type Marked = Pick<KpiSnapshot, 'suppressed'>;

export function valueSuppressed(snapshot: Marked | undefined): boolean {
	return snapshot?.suppressed?.value === true;
}

export function previousValueSuppressed(snapshot: Marked | undefined): boolean {
	return snapshot?.suppressed?.previousValue === true;
}

export function periodSuppressed(snapshot: Marked | undefined, period: string): boolean {
	return snapshot?.suppressed?.periods.includes(period) ?? false;
}

export function memberSuppressed(snapshot: Marked | undefined, key: string): boolean {
	return snapshot?.suppressed?.members.includes(key) ?? false;
}

export function referenceSuppressed(snapshot: Marked | undefined, key: string): boolean {
	return snapshot?.suppressed?.references?.includes(key) ?? false;
}

/** Which parts of a screen show a "•" and so need the footnote. */
export function suppressedParts(snapshot: Marked | undefined): {
	value: boolean;
	series: boolean;
	breakdown: boolean;
} {
	const marks: SuppressionMarks | undefined = snapshot?.suppressed;
	return {
		value: Boolean(marks?.value),
		series: Boolean(marks?.periods.length),
		breakdown: Boolean(marks?.members.length || marks?.references?.length)
	};
}

/** The KPI's threshold for the footnote; 3 when an older server sent no marks. */
export function minCountOf(snapshot: Marked | undefined): number {
	return snapshot?.suppressed?.minCount ?? 3;
}

/**
 * The series as readings for the comparisons: a withheld point is `suppressed`, so a
 * comparison with it says so instead of skipping over it to an earlier value.
 */
export function readingsOf(snapshot: Pick<KpiSnapshot, 'series' | 'suppressed'>): Reading[] {
	const hidden = new Set(snapshot.suppressed?.periods ?? []);
	return expandSeries(snapshot.series).map((p) =>
		hidden.has(p.period) ? { ...p, suppressed: true } : p
	);
}

/** A cell's text: the "•" for a withheld figure, else the formatted value. */
export function cellText(
	value: number | null,
	suppressed: boolean,
	format: (value: number | null) => string
): string {
	return suppressed ? SUPPRESSED_MARK : format(value);
}
