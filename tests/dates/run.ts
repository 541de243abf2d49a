/**
 * The tests with the machine's clock moved (libfaketime), so that nothing that pins a seed day
 * can lean on today's real date. `npm run test:dates` runs the unit, router and Dexie suite and
 * the fault seeds at three dates relative to today:
 *
 *   year-ahead   one year from today, 10:00 UTC
 *   leap-day     the next 29 February, 12:00 UTC
 *   new-year     the next 31 December, 23:30 UTC – already 1 January in the city (Europe/Berlin)
 *
 * `--only <name>` runs one of them, `--seeds N` sets the number of fault seeds (default 25).
 * `npm test` runs the new-year date with a few seeds. The clock runs on from the moved time.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: { only: { type: 'string' }, seeds: { type: 'string', default: '25' } }
});

function nextDate(month: number, day: number, from: Date): Date {
	for (let year = from.getUTCFullYear(); ; year++) {
		const candidate = new Date(Date.UTC(year, month - 1, day));
		// 29 February exists only in leap years; Date.UTC would roll over to 1 March.
		if (candidate.getUTCDate() === day && candidate > from) return candidate;
	}
}

const today = new Date();
const at = (date: Date, time: string) => `${date.toISOString().slice(0, 10)} ${time} UTC`;
const yearAhead = new Date(today);
yearAhead.setUTCFullYear(today.getUTCFullYear() + 1);
const DATES: Record<string, string> = {
	'year-ahead': at(yearAhead, '10:00:00'),
	'leap-day': at(nextDate(2, 29, today), '12:00:00'),
	'new-year': at(nextDate(12, 31, today), '23:30:00')
};

const chosen = values.only ? { [values.only]: DATES[values.only] } : DATES;
if (values.only && !DATES[values.only]) {
	console.error(`Unknown date "${values.only}"; one of: ${Object.keys(DATES).join(', ')}`);
	process.exit(2);
}

const probe = spawnSync('faketime', ['2000-01-01 00:00:00 UTC', 'true']);
if (probe.error || probe.status !== 0) {
	console.error(
		'faketime is missing: run tests/support/ensure-system-packages.sh (Debian: faketime).'
	);
	process.exit(1);
}

function run(when: string, command: string[]): boolean {
	console.log(`\n── ${command.join(' ')}  at ${when}`);
	const result = spawnSync('faketime', [when, ...command], { stdio: 'inherit' });
	return result.status === 0;
}

const failed: string[] = [];
for (const [name, when] of Object.entries(chosen)) {
	if (!run(when!, ['npx', 'vitest', 'run'])) failed.push(`${name}: vitest`);
	const faults = ['npx', 'tsx', 'tests/faults/run.ts', '--runs', values.seeds!, '--seed', '1'];
	if (!run(when!, faults)) failed.push(`${name}: fault seeds`);
}
console.log(
	failed.length
		? `\nFailed with the clock moved: ${failed.join('; ')}`
		: `\nAll passed with the clock moved to: ${Object.entries(chosen)
				.map(([name, when]) => `${name} (${when})`)
				.join(', ')}`
);
process.exit(failed.length ? 1 : 0);
