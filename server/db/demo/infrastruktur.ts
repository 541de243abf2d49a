import { differenceInCalendarDays, parseISO } from 'date-fns';
import { INFRASTRUKTUR_KPI } from '#server/db/demo/ids/infrastruktur';
import { DISTRICT_PROFILES, DISTRICTS } from './city';
import { noise, streamFor } from './random';
import {
	apportion,
	between,
	DEMO_SEED,
	demoPeriods,
	jitter,
	progressOf,
	round,
	rowsOf,
	type GeneratedObservation
} from './rows';

/** The investment controlling's report for the last quarter is missing. */
const PROJECT_QUARTERS_MISSING = 1;

/**
 * Street lighting and investment projects: the stock of lights and its LED share, open faults
 * per district each day (a backlog after a cable fault three weeks ago: red), the mean repair
 * time, and the share of projects on time and budget (overdue).
 */
export function generateInfrastrukturObservations(
	today: Date,
	seed = DEMO_SEED
): GeneratedObservation[] {
	const rows: GeneratedObservation[] = [];
	const months = demoPeriods(today, 'monthly');

	const lightsRandom = streamFor(seed, INFRASTRUKTUR_KPI.streetLights);
	const lights = rowsOf(INFRASTRUKTUR_KPI.streetLights, rows);
	const ledRandom = streamFor(seed, INFRASTRUKTUR_KPI.ledShare);
	const led = rowsOf(INFRASTRUKTUR_KPI.ledShare, rows);
	let lightCount = 14_370;
	let ledCount = Math.round(lightCount * 0.45);
	months.forEach((month, i) => {
		// New estates add lights; LED conversion comes in batches of a tender lot.
		lightCount += Math.max(0, Math.round(4 + 3 * noise(lightsRandom)));
		const ledTarget = lightCount * between(0.45, 0.68, progressOf(i, months.length));
		if (i === 0 || ledTarget - ledCount > 60 || ledRandom() < 0.6) ledCount = Math.round(ledTarget);
		lights.total(month, lightCount);
		led.total(month, round((ledCount / lightCount) * 100, 1));
	});

	const repairRandom = streamFor(seed, INFRASTRUKTUR_KPI.repairDays);
	const repair = rowsOf(INFRASTRUKTUR_KPI.repairDays, rows);
	months.forEach((month, i) => {
		// The backlog of the last weeks shows in the last months' repair times.
		const backlog = i >= months.length - 2 ? 3.8 : 0;
		repair.total(month, round(jitter(repairRandom, 3.6 + backlog, 0.08), 1));
	});

	const faultRandom = streamFor(seed, INFRASTRUKTUR_KPI.openFaults);
	const faults = rowsOf(INFRASTRUKTUR_KPI.openFaults, rows);
	const weights = DISTRICTS.map(([id]) => DISTRICT_PROFILES[id].lightsWeight);
	let level = 0;
	for (const day of demoPeriods(today, 'daily')) {
		const daysAgo = differenceInCalendarDays(today, parseISO(day));
		// Autumn and winter have more faults (storms, darkness reveals them); three weeks ago a
		// cable fault took out whole streets and the contractor has not caught up.
		const season = 1 + 0.25 * Math.cos((parseISO(day).getMonth() / 12) * 2 * Math.PI);
		const backlog = daysAgo <= 21 ? 85 * Math.min(1, (22 - daysAgo) / 6) : 0;
		level = 0.7 * level + 0.3 * noise(faultRandom);
		const total = Math.max(0, Math.round(42 * season + backlog + 6 * level));
		const spread = weights.map((w) => w * (0.6 + 0.8 * faultRandom()));
		apportion(total, spread).forEach((open, d) =>
			faults.member('district', DISTRICTS[d]![0], day, open)
		);
	}

	const projectRandom = streamFor(seed, INFRASTRUKTUR_KPI.projectsOnTrack);
	const projects = rowsOf(INFRASTRUKTUR_KPI.projectsOnTrack, rows);
	const quarters = demoPeriods(today, 'quarterly');
	quarters.slice(0, quarters.length - PROJECT_QUARTERS_MISSING).forEach((quarter, i) => {
		// About 45 running projects, so the share moves in steps of about two points.
		const running = 44 + Math.round(2 * noise(projectRandom));
		const share = between(73, 63, progressOf(i, quarters.length)) / 100;
		const onTrack = Math.round(running * share + 1.2 * noise(projectRandom));
		projects.total(quarter, round((onTrack / running) * 100, 1));
	});
	return rows;
}
