import { readFileSync, writeFileSync } from 'node:fs';
import { databaseFile, openDatabase } from '#server/db/connection';
import { systemClock } from '#server/clock';
import { applyCatalogue, exportCatalogue } from './catalogue-admin';
import { describeReport } from './catalogue-file';
import { readJsonText } from '#server/json-text';

const USAGE = 'Usage: npm run catalogue -- export [file] | apply <file> [--dry-run]';

/**
 * `npm run catalogue -- export [file]` writes the whole catalogue as one JSON document (to the
 * file, or to standard output); `apply <file>` validates a catalogue file completely and then
 * creates or updates by id in one transaction, `--dry-run` only says what would change. Exit
 * code 0 on success, 1 when the file is refused, 2 for a wrong call.
 */
export function main(argv: readonly string[], out = console.log, err = console.error): number {
	const [command, ...rest] = argv;
	const dryRun = rest.includes('--dry-run');
	const [file] = rest.filter((arg) => arg !== '--dry-run');
	if (command === 'export' && rest.length <= 1 && !dryRun) {
		const db = openDatabase(databaseFile());
		try {
			const json = `${JSON.stringify(exportCatalogue(db), null, '\t')}\n`;
			if (file) {
				writeFileSync(file, json);
				err(`Katalog nach ${file} geschrieben.`);
			} else out(json.trimEnd());
			return 0;
		} finally {
			db.$client.close();
		}
	}
	if (command !== 'apply' || !file || rest.length > 2) {
		err(USAGE);
		return 2;
	}
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		err(`Die Datei ${file} lässt sich nicht lesen.`);
		return 1;
	}
	const read = readJsonText(text);
	if (!read.ok) {
		err(`✕ ${read.message} Es wurde nichts geändert.`);
		return 1;
	}
	const db = openDatabase(databaseFile());
	try {
		const report = applyCatalogue(db, read.data, { dryRun, userId: null, now: systemClock() });
		for (const line of describeReport(report, read.locate)) (report.ok ? out : err)(line);
		return report.ok ? 0 : 1;
	} finally {
		db.$client.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	process.exitCode = main(process.argv.slice(2));
}
