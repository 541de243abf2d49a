import { parse as parseWithPointers } from 'json-source-map';
import type { CatalogueProblem } from '#shared/catalogue';
import type { ApplyReport } from './catalogue-admin';

/**
 * Reading a catalogue file for `npm run catalogue -- apply`: the JSON with the line of every
 * value, so each problem names the line and the field it is about ("Zeile 42, kpis[3].unit").
 */

export type CatalogueText =
	| { ok: true; data: unknown; locate: (path: readonly (string | number)[]) => number | null }
	| { ok: false; message: string };

/** The line (1-based) and column of a character position in a text. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
	const before = text.slice(0, position);
	const line = before.split('\n').length;
	return { line, column: position - before.lastIndexOf('\n') };
}

export function readCatalogueText(text: string): CatalogueText {
	const source = text.replace(/^\uFEFF/, '');
	try {
		const { data, pointers } = parseWithPointers(source);
		// A field that is missing is reported at the object that lacks it.
		const locate = (path: readonly (string | number)[]) => {
			for (let length = path.length; length >= 0; length--) {
				const pointer = pointers[pointerOf(path.slice(0, length))];
				if (pointer) return (pointer.key ?? pointer.value).line + 1;
			}
			return null;
		};
		return { ok: true, data, locate };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const position = /position (\d+)/.exec(message);
		if (position) {
			const { line, column } = lineAndColumn(source, Number(position[1]));
			return {
				ok: false,
				message: `Zeile ${line}, Spalte ${column}: Die Datei ist kein gültiges JSON (${message}).`
			};
		}
		return { ok: false, message: `Die Datei ist kein gültiges JSON (${message}).` };
	}
}

/** `/kpis/3/thresholds/red` from a path, as JSON Pointer (RFC 6901). */
function pointerOf(path: readonly (string | number)[]): string {
	return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** `kpis[3].thresholds.red` – the field as a person finds it in the file. */
export function fieldPath(path: readonly (string | number)[]): string {
	return path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
		.join('');
}

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
