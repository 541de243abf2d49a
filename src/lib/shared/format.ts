import { type KpiDefinition } from './catalogue';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(decimals: number, signDisplay: 'negative' | 'exceptZero' = 'negative') {
	const key = `${decimals}:${signDisplay}`;
	let nf = numberFormats.get(key);
	if (!nf) {
		nf = new Intl.NumberFormat('de-DE', {
			minimumFractionDigits: decimals,
			maximumFractionDigits: decimals,
			signDisplay
		});
		numberFormats.set(key, nf);
	}
	return nf;
}

type Formattable = Pick<KpiDefinition, 'decimals' | 'unit'> &
	Partial<Pick<KpiDefinition, 'numberFormat'>>;

/**
 * Budgets read in millions: `312,4 Mio. €` fits a phone tile, `312.412.006 €` does not. Below a
 * million the full amount is kept. Returns null when the value is not compacted.
 */
function compactAmount(value: number, kpi: Formattable, sign: boolean): string | null {
	if (kpi.numberFormat !== 'currency') return null;
	const abs = Math.abs(value);
	const [divisor, word] = abs >= 1e9 ? [1e9, 'Mrd.'] : abs >= 1e6 ? [1e6, 'Mio.'] : [0, ''];
	if (!divisor) return null;
	const number = sign ? formatChange(value / divisor, 1) : formatNumber(value / divisor, 1);
	return `${number}\u00a0${word}${kpi.unit ? `\u00a0${kpi.unit}` : ''}`;
}

/**
 * `1.234,5`, `−3` – a KPI value in German notation without unit; `–` when there is none.
 * Same minus sign as formatChange, and no `-0` for a value that rounds to zero.
 */
export function formatNumber(value: number | null, decimals = 0): string {
	return value === null ? '–' : numberFormat(decimals).format(value).replace('-', '−');
}

/** `87,5 %`, `1.234 Personen`, `1,2 Mio. €` – a value with its unit. */
export function formatValue(value: number | null, kpi: Formattable): string {
	if (value === null) return '–';
	const compact = compactAmount(value, kpi, false);
	if (compact) return compact;
	const number = formatNumber(value, kpi.decimals);
	return kpi.unit ? `${number}\u00a0${kpi.unit}` : number;
}

/** An axis label: budgets in millions without the unit (`400 Mio.`), other values as numbers. */
export function formatAxisValue(value: number, kpi: Formattable): string {
	if (kpi.numberFormat === 'currency' && Math.abs(value) >= 1e6) {
		const [divisor, word] = Math.abs(value) >= 1e9 ? [1e9, 'Mrd.'] : [1e6, 'Mio.'];
		return `${formatNumber(value / divisor, Number.isInteger(value / divisor) ? 0 : 1)}\u00a0${word}`;
	}
	return formatNumber(value, kpi.decimals);
}

/** A signed change with its unit: `+12 Personen`, `+3,2 Mio. €`. */
export function formatChangeWithUnit(value: number | null, kpi: Formattable): string {
	if (value === null) return '–';
	const compact = compactAmount(value, kpi, true);
	if (compact) return compact;
	const number = formatChange(value, kpi.decimals);
	return kpi.unit ? `${number}\u00a0${kpi.unit}` : number;
}

/** `+12`, `−3,5` – a signed change. */
export function formatChange(value: number | null, decimals = 0): string {
	if (value === null) return '–';
	return numberFormat(decimals, 'exceptZero').format(value).replace('-', '−');
}

export function formatPercentChange(value: number | null): string {
	if (value === null) return '';
	return `${formatChange(value, 1)}\u00a0%`;
}

const DATE = new Intl.DateTimeFormat('de-DE', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric'
});
const DATE_TIME = new Intl.DateTimeFormat('de-DE', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit'
});

/** `21.11.2026` from an ISO date or timestamp. */
export function formatDate(iso: string | null): string {
	if (!iso) return '–';
	const date = iso.length === 10 ? new Date(`${iso}T00:00:00`) : new Date(iso);
	return Number.isNaN(date.getTime()) ? '–' : DATE.format(date);
}

/** `21.11.2026, 14:05` from a timestamp. */
export function formatDateTime(iso: string | null): string {
	if (!iso) return '–';
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? '–' : DATE_TIME.format(date);
}

/** `4,1 %` – a share or the size of a deviation; unlike formatPercentChange, no plus sign. */
export function formatPercent(value: number | null, decimals = 1): string {
	return value === null ? '–' : `${formatNumber(value, decimals)}\u00a0%`;
}

const LIST = new Intl.ListFormat('de-DE', { style: 'long', type: 'conjunction' });

/** `A1, A2 und B1` – items joined the German way (no comma before "und"). */
export function formatList(items: string[]): string {
	return LIST.format(items);
}
