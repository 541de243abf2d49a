import { generateAsylObservations } from './asyl';
import { generateBevoelkerungObservations } from './bevoelkerung';
import { generateBildungObservations } from './bildung';
import { generateFinanzenObservations } from './finanzen';
import { generateGesundheitObservations } from './gesundheit';
import { generateInfrastrukturObservations } from './infrastruktur';
import { DEMO_SEED, type GeneratedObservation } from './rows';
import { generateSozialesObservations } from './soziales';

export { DEMO_SEED, type GeneratedObservation };

/** One generator per area, in the order of the areas; each draws from random streams of its own. */
const AREA_GENERATORS = [
	generateFinanzenObservations,
	generateAsylObservations,
	generateBevoelkerungObservations,
	generateBildungObservations,
	generateGesundheitObservations,
	generateSozialesObservations,
	generateInfrastrukturObservations
];

/**
 * Every observation of the demo city up to the day before `today`: yearly KPIs for ten years,
 * monthly, quarterly and weekly ones for three, daily ones for one (accommodation for three).
 * A pure function of (seed, today).
 */
export function generateDemoObservations(today: Date, seed = DEMO_SEED): GeneratedObservation[] {
	return AREA_GENERATORS.flatMap((generate) => generate(today, seed));
}
