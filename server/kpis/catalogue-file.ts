import type { CatalogueProblem } from '#shared/catalogue';
import { fieldPath } from '#server/json-text';
import type { ApplyReport } from './catalogue-admin';

/**
 * Reading a catalogue file for `npm run catalogue -- apply`: the JSON with the line of every
 * value, so each problem names the line and the field it is about ("Zeile 42, kpis[3].unit").
 */

/** One line per problem: `Zeile 42, kpis[3].unit: Die Einheit darf höchstens 30 Zeichen haben.` */
export function describeProblem(
	problem: CatalogueProblem,
	locate: (path: readonly (string | number)[]) => number | null
): string {
	const line = locate(problem.path);
	const where = [line === null ? null : `Zeile ${line}`, fieldPath(problem.path) || null]
		.filter(Boolean)
		.join(', ');
	return where ? `${where}: ${problem.message}` : problem.message;
}

/** The report of `apply`, as the command prints it. */
export function describeReport(
	report: ApplyReport,
	locate: (path: readonly (string | number)[]) => number | null
): string[] {
	if (!report.ok) {
		return [
			`✕ Der Katalog wurde nicht übernommen: ${report.problems.length} Fehler. Es wurde nichts geändert.`,
			...report.problems.map((problem) => `  ${describeProblem(problem, locate)}`)
		];
	}
	const lines = [
		report.dryRun
			? '✓ Probelauf: Der Katalog ist gültig. Übernommen würde:'
			: '✓ Der Katalog wurde übernommen.',
		`  Neu: ${report.created.length ? report.created.join(', ') : '–'}`,
		`  Geändert: ${report.updated.length ? report.updated.join(', ') : '–'}`,
		`  Unverändert: ${report.unchanged}`
	];
	if (report.notInFile.length) {
		lines.push(
			`  Nicht in der Datei (bleiben unverändert, nichts wird gelöscht): ${report.notInFile.join(', ')}`
		);
	}
	return lines;
}
