import { databaseFile, openDatabase } from '#server/db/connection';
import type { FeedRunReport } from '#shared/feeds';
import {
	FeedDefinitionError,
	feedIsActive,
	loadDefinitionFile,
	storedVersion
} from './definitions';
import { FeedFailure } from './mapping';
import { runFeed } from './runner';
import { systemClock } from '#server/clock';

/**
 * `npm run feed -- import <definition> <file>` registers the definition (or updates it) and
 * imports the file as one run; `validate` checks the file against the definition and writes
 * nothing. Exit code 0 when the run succeeded, 1 when it failed, 2 for a wrong call.
 */
export function main(argv: readonly string[], out = console.log, err = console.error): number {
	const [command, definitionPath, filePath] = argv;
	if ((command !== 'import' && command !== 'validate') || !definitionPath || !filePath) {
		err('Usage: npm run feed -- import|validate <definition.json> <file>');
		return 2;
	}
	let definition;
	try {
		definition = loadDefinitionFile(definitionPath);
	} catch (error) {
		if (!(error instanceof FeedDefinitionError)) throw error;
		err('Die Definition ist nicht verwendbar:');
		for (const problem of error.problems) err(`  – ${problem}`);
		return 1;
	}
	const db = openDatabase(databaseFile());
	try {
		if (
			command === 'import' &&
			storedVersion(db, definition.id) !== null &&
			!feedIsActive(db, definition.id)
		) {
			err(`Die Lieferung „${definition.id}“ ist stillgelegt. Bitte sie erst wieder aktivieren.`);
			return 1;
		}
		// The definition is stored with the run's success: a failed run keeps the stored one.
		const report = runFeed(
			db,
			definition,
			{ path: filePath },
			{ mode: command, origin: 'cli', userId: null, clock: systemClock, storeDefinition: true }
		);
		printReport(report, out);
		return report.status === 'succeeded' ? 0 : 1;
	} catch (error) {
		if (!(error instanceof FeedFailure)) throw error;
		err(error.error.message);
		return 1;
	} finally {
		db.$client.close();
	}
}

export function printReport(report: FeedRunReport, out: (line: string) => void): void {
	const mark = report.status === 'succeeded' ? '✓' : '✕';
	out(`${mark} ${report.feedId} – ${report.fileName}: ${report.summary}`);
	if (report.runId) out(`  Lauf ${report.runId}`);
	if (report.kpisChanged.length) out(`  Geänderte Kennzahlen: ${report.kpisChanged.join(', ')}`);
	for (const error of report.errors) {
		const where = [error.line === null ? null : `Zeile ${error.line}`, error.column]
			.filter(Boolean)
			.join(', ');
		out(`  ${where ? `${where}: ` : ''}${error.message}`);
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	process.exitCode = main(process.argv.slice(2));
}
