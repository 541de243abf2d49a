import { parseIsoDate } from '#shared/periods';
import { cityNoon } from '#server/city-time';
import { systemClock } from '#server/clock';
import { databaseFile, openDatabase } from './connection';
import { seedDemo } from '#server/db/demo/seed';

// KLAR_DEMO_TODAY pins the demo's reference date (the data runs up to the day before): the
// seed then runs as at noon of that day in the city.
const pinned = process.env.KLAR_DEMO_TODAY;
const now = pinned ? (parseIsoDate(pinned) ? cityNoon(pinned) : null) : systemClock();
if (!now) {
	console.error('KLAR_DEMO_TODAY must be a date like 2026-11-22.');
	process.exit(1);
}
const file = databaseFile();
const db = openDatabase(file);
try {
	const seeded = await seedDemo(db, now);
	console.log(
		seeded ? `Demo data written to ${file}.` : `${file} already holds the demo data; nothing to do.`
	);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	db.$client.close();
}
