import type { Direction, Thresholds } from '#shared/kpi';

export type GaugeStatus = 'green' | 'amber' | 'red';

export interface GaugeBand {
	status: GaugeStatus;
	from: number;
	to: number;
	/** SVG path `d` of the annular arc between `from` and `to`. */
	path: string;
}

export interface GaugeTick {
	value: number;
	angle: number;
	/** Where the tick's label goes: inside the arc, on the circle of `tickRadius`. */
	x: number;
	y: number;
}

export interface GaugeGeometry {
	min: number;
	max: number;
	/** Degrees: −90 at `min` (left), 0 at the top, +90 at `max` (right). */
	needleAngle: number;
	/** The value lies outside [min, max] and the needle stops at the end of the scale. */
	clamped: boolean;
	bands: GaugeBand[];
	ticks: GaugeTick[];
}

export interface GaugeInput {
	value: number | null;
	thresholds: Thresholds | null;
	direction: Direction;
	min?: number;
	/** Defaults to gaugeScaleMax(value, thresholds). */
	max?: number;
	cx: number;
	cy: number;
	/** Outer radius of the arc. */
	radius: number;
	/** Thickness of the arc. */
	width: number;
	/** Radius of the tick labels; defaults to half a band width inside the arc. */
	tickRadius?: number;
}

const NICE_MANTISSAS = [1, 2, 2.5, 5];

/** Smallest 1, 2, 2.5 or 5 × 10^n that is at least `target`. */
function niceCeil(target: number): number {
	if (!(target > 0) || !Number.isFinite(target)) return 1;
	const exponent = Math.floor(Math.log10(target));
	for (const e of [exponent - 1, exponent, exponent + 1]) {
		for (const m of NICE_MANTISSAS) {
			const candidate = m * 10 ** e;
			// Relative tolerance: 10 ** -1 * 2.5 is not exactly 0.25.
			if (candidate >= target * (1 - 1e-12)) return Number(candidate.toPrecision(12));
		}
	}
	return 10 ** (exponent + 1);
}

function isNice(step: number): boolean {
	if (!(step > 0)) return false;
	const mantissa = step / 10 ** Math.floor(Math.log10(step));
	return NICE_MANTISSAS.some((m) => Math.abs(mantissa - m) < 1e-9);
}

/**
 * End of the scale: a round number that leaves room above the red threshold (1.5 ×) and above
 * the value (1.1 ×). The larger threshold counts, so a higher-is-better scale shows its amber
 * band too.
 */
export function gaugeScaleMax(value: number | null, thresholds: Thresholds | null): number {
	const top = thresholds ? Math.max(thresholds.amber, thresholds.red) : 0;
	return niceCeil(Math.max(1.5 * top, 1.1 * (value ?? 0)));
}

/** Needle angle of a value in degrees, clamped to the ends of the scale. */
export function valueToAngle(value: number, min: number, max: number): number {
	if (!(max > min)) return -90;
	const share = Math.min(1, Math.max(0, (value - min) / (max - min)));
	return -90 + 180 * share;
}

/** Two decimals are finer than a pixel; no `-0` in the markup. */
function coordinate(n: number): string {
	const rounded = Math.round(n * 100) / 100;
	return String(rounded === 0 ? 0 : rounded);
}

function pointAt(cx: number, cy: number, r: number, angle: number): [number, number] {
	const radians = (angle * Math.PI) / 180;
	return [cx + r * Math.sin(radians), cy - r * Math.cos(radians)];
}

function arcPath(
	cx: number,
	cy: number,
	outer: number,
	inner: number,
	fromAngle: number,
	toAngle: number
): string {
	const large = toAngle - fromAngle > 180 ? 1 : 0;
	const [ox0, oy0] = pointAt(cx, cy, outer, fromAngle).map(coordinate);
	const [ox1, oy1] = pointAt(cx, cy, outer, toAngle).map(coordinate);
	const [ix1, iy1] = pointAt(cx, cy, inner, toAngle).map(coordinate);
	const [ix0, iy0] = pointAt(cx, cy, inner, fromAngle).map(coordinate);
	const o = coordinate(outer);
	const i = coordinate(inner);
	// Clockwise on screen (sweep 1) along the outer edge, back along the inner edge.
	return `M ${ox0} ${oy0} A ${o} ${o} 0 ${large} 1 ${ox1} ${oy1} L ${ix1} ${iy1} A ${i} ${i} 0 ${large} 0 ${ix0} ${iy0} Z`;
}

/** Value ranges of the bands, as statusOf reads the thresholds (neutral reads like lower). */
function bandRanges(
	thresholds: Thresholds,
	direction: Direction
): { status: GaugeStatus; from: number; to: number }[] {
	return direction === 'higher_is_better'
		? [
				{ status: 'red', from: -Infinity, to: thresholds.red },
				{ status: 'amber', from: thresholds.red, to: thresholds.amber },
				{ status: 'green', from: thresholds.amber, to: Infinity }
			]
		: [
				{ status: 'green', from: -Infinity, to: thresholds.amber },
				{ status: 'amber', from: thresholds.amber, to: thresholds.red },
				{ status: 'red', from: thresholds.red, to: Infinity }
			];
}

/** 4 to 6 evenly spaced round steps when the range allows, else quarters. */
function tickValues(min: number, max: number): number[] {
	const range = max - min;
	const count = [5, 4, 6].find((k) => isNice(range / k)) ?? 4;
	return Array.from({ length: count + 1 }, (_, k) =>
		Number((min + (range * k) / count).toPrecision(12))
	);
}

export function gaugeGeometry(input: GaugeInput): GaugeGeometry {
	const { value, thresholds, direction, cx, cy, radius, width } = input;
	const min = input.min ?? 0;
	let max = input.max ?? gaugeScaleMax(value, thresholds);
	if (!(max > min)) max = min + 1;
	const inner = radius - width;
	const tickRadius = input.tickRadius ?? inner - width / 2;

	const bands = thresholds
		? bandRanges(thresholds, direction)
				.map((b) => ({ ...b, from: Math.max(b.from, min), to: Math.min(b.to, max) }))
				.filter((b) => b.to > b.from)
				.map((b) => ({
					...b,
					path: arcPath(
						cx,
						cy,
						radius,
						inner,
						valueToAngle(b.from, min, max),
						valueToAngle(b.to, min, max)
					)
				}))
		: [];

	const ticks = tickValues(min, max).map((v) => {
		const angle = valueToAngle(v, min, max);
		const [x, y] = pointAt(cx, cy, tickRadius, angle);
		return { value: v, angle, x: Number(coordinate(x)), y: Number(coordinate(y)) };
	});

	return {
		min,
		max,
		needleAngle: value === null ? -90 : valueToAngle(value, min, max),
		clamped: value !== null && (value < min || value > max),
		bands,
		ticks
	};
}
