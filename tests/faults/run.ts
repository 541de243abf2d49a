/**
 * `npm run test:faults -- --runs N --seed S [--steps K]`: N simulations with seeds S, S+1, ….
 * A failing run prints its seed and the command that replays it.
 */
import { parseArgs } from 'node:util';
import { simulate } from './simulation';

const { values } = parseArgs({
	options: {
		runs: { type: 'string', default: '10' },
		seed: { type: 'string', default: '1' },
		steps: { type: 'string', default: '80' },
		verbose: { type: 'boolean', default: false }
	}
});
const runs = Number(values.runs);
const firstSeed = Number(values.seed);
const steps = Number(values.steps);
if (
	!Number.isInteger(runs) ||
	runs < 1 ||
	!Number.isInteger(firstSeed) ||
	!Number.isInteger(steps)
) {
	console.error('Usage: npm run test:faults -- --runs N --seed S [--steps K]');
	process.exit(2);
}

let passed = 0;
let failed = 0;
const totals: Record<string, number> = {};
const broken: Record<string, number> = {
	lost: 0,
	duplicated: 0,
	diverged: 0,
	'out of scope': 0,
	crashed: 0
};
const FAULT_KINDS = [
	'dropped requests',
	'dropped responses',
	'duplicated requests',
	'delayed copies',
	'server stops',
	'restores',
	'reloads'
];
const started = Date.now();
for (let i = 0; i < runs; i++) {
	const seed = firstSeed + i;
	const result = await simulate({
		seed,
		steps,
		log: process.env.DEBUG_FAULTS ? console.log : undefined
	});
	for (const [key, value] of Object.entries(result.stats)) totals[key] = (totals[key] ?? 0) + value;
	if (result.failures.length === 0) {
		passed++;
		if (values.verbose) console.log(`run seed=${seed} ok ${JSON.stringify(result.stats)}`);
		continue;
	}
	failed++;
	console.log(
		`FAILED run seed=${seed} (replay: npm run test:faults -- --runs 1 --seed ${seed} --steps ${steps})`
	);
	for (const failure of result.failures) broken[failure.kind] = (broken[failure.kind] ?? 0) + 1;
	for (const failure of result.failures.slice(0, 20))
		console.log(`  - ${failure.kind}: ${failure.message}`);
}
console.log(
	`fault injection: ${runs} runs of ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; ${Object.entries(
		totals
	)
		.map(([key, value]) => `${value} ${key}`)
		.join(', ')}`
);
const injected = FAULT_KINDS.reduce((sum, kind) => sum + (totals[kind] ?? 0), 0);
console.log(
	`faults injected: ${injected}; entries created: ${totals['entries created'] ?? 0}, acknowledged: ${totals['acknowledged entries'] ?? 0}; lost: ${broken.lost}, duplicated: ${broken.duplicated}, diverged: ${broken.diverged}, out of scope: ${broken['out of scope']}, crashed: ${broken.crashed}`
);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
