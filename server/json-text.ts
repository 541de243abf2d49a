import { parse as parseWithPointers } from 'json-source-map';

/**
 * JSON typed by people (a catalogue file, a feed definition in the browser), read with the line
 * of every value, so each problem names the line and the field it is about
 * ("Zeile 42, kpis[3].unit").
 */

export type JsonText =
	| { ok: true; data: unknown; locate: (path: readonly (string | number)[]) => number | null }
	| { ok: false; message: string };

/** The line (1-based) and column of a character position in a text. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
	const before = text.slice(0, position);
	const line = before.split('\n').length;
	return { line, column: position - before.lastIndexOf('\n') };
}

/** `what` names the text in the German message: „Die Datei“, „Die Definition“. */
export function readJsonText(text: string, what = 'Die Datei'): JsonText {
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
		// Only where: the parser's own words are English and may quote the text.
		const message = error instanceof Error ? error.message : String(error);
		const position = /position (\d+)/.exec(message);
		if (position) {
			const { line, column } = lineAndColumn(source, Number(position[1]));
			return {
				ok: false,
				message: `Zeile ${line}, Spalte ${column}: ${what} ist kein gültiges JSON.`
			};
		}
		return { ok: false, message: `${what} ist kein gültiges JSON.` };
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
