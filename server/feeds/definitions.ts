import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { feedDefinitionVersions, feeds } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import {
	definitionProblems,
	FeedDefinitionV1,
	germanIssue,
	pathText,
	problemText,
	type DefinitionProblem,
	type FeedDefinition
} from '#shared/feeds';
import { readResource, selectResource } from './datapackage';

/** A definition that cannot be used, with a German message per problem. */
export class FeedDefinitionError extends Error {
	constructor(
		readonly problems: string[],
		developerMessage: string
	) {
		super(developerMessage);
	}
}

/**
 * Validates a definition; a data-package descriptor given as a path is read relative to
 * `baseDir` and inlined, and so are the schema and dialect of the resource it imports when
 * the descriptor names them by path, so the stored definition is complete. Every problem is
 * reported in German with its place in the definition.
 */
export function parseDefinition(json: unknown, baseDir?: string): FeedDefinition {
	const parsed = FeedDefinitionV1.safeParse(json, { error: germanIssue });
	if (!parsed.success) throw invalid(definitionProblems(parsed.error.issues));
	const definition = parsed.data;
	if (definition.source.format !== 'datapackage') return definition;
	const { source } = definition;
	// Paths inside a descriptor are relative to the descriptor's own folder.
	let descriptorDir = '.';
	if (typeof source.descriptor === 'string') {
		if (!baseDir) {
			throw new FeedDefinitionError(
				['Der Data-Package-Deskriptor muss in der Definition enthalten sein.'],
				'A descriptor path needs the directory of the definition file'
			);
		}
		const path = confinedPath(baseDir, source.descriptor, 'Der Data-Package-Deskriptor');
		descriptorDir = dirname(relative(realpathOrSelf(resolve(baseDir)), path));
		source.descriptor = readJson(path, 'Der Data-Package-Deskriptor');
	}
	inlineResourceFiles(source.descriptor, source.resource, baseDir, descriptorDir);
	const read = readResource(source.descriptor, source.resource);
	const problems = 'problems' in read ? read.problems : [];
	const period = definition.mapping.period;
	if ('resource' in read && period?.column !== undefined && period.format === undefined) {
		const reader = read.resource.periodReader(period.column);
		if ('error' in reader)
			problems.push({ path: ['mapping', 'period', 'format'], message: reader.error });
	}
	if (problems.length) throw invalid(problems);
	return definition;
}

function invalid(problems: DefinitionProblem[]): FeedDefinitionError {
	return new FeedDefinitionError(
		problems.map(problemText),
		`Invalid feed definition: ${problems.map((p) => `${pathText(p.path)}: ${p.message}`).join('; ')}`
	);
}

/**
 * The Table Schema and dialect of the imported resource, when given as paths (Data Package v2
 * allows both; v1 publishers share schemas that way too), are read and put in their place.
 * A URL is refused: KLAR reads no files from the network.
 */
function inlineResourceFiles(
	descriptor: Record<string, unknown>,
	resourceName: string | undefined,
	baseDir: string | undefined,
	descriptorDir: string
): void {
	const selected = selectResource(descriptor, resourceName);
	if ('problems' in selected) return; // reported with the descriptor's other problems
	const { index, resource } = selected;
	for (const [key, what] of [
		['schema', 'Das Table Schema'],
		['dialect', 'Der Dialekt']
	] as const) {
		const value = resource[key];
		if (typeof value !== 'string') continue;
		const where = `source.descriptor.resources[${index}].${key}`;
		const refuse = (message: string, developerMessage: string) =>
			new FeedDefinitionError([`${where}: ${message}`], developerMessage);
		if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
			throw refuse(
				`${what} ist als Adresse angegeben („${value}“); KLAR lädt nichts aus dem Netz. Bitte die Datei neben die datapackage.json legen und als Pfad angeben.`,
				`${key} ${value} is a URL`
			);
		}
		// The spec forbids absolute paths, parent folders and hidden folders in descriptors.
		if (
			isAbsolute(value) ||
			value.split(/[\\/]/).some((part) => part.startsWith('.') && part !== '.')
		) {
			throw refuse(
				`${what} muss im Ordner der datapackage.json oder darunter liegen, nicht in einem übergeordneten oder versteckten Ordner (angegeben: „${value}“).`,
				`${key} path ${value} uses a parent or hidden folder`
			);
		}
		if (!baseDir) {
			throw refuse(
				`${what} ist als Pfad angegeben („${value}“); die Definition muss aus ihrer Datei geladen werden, damit KLAR ihn liest.`,
				`${key} path ${value} needs the directory of the definition file`
			);
		}
		let path: string;
		try {
			path = confinedPath(baseDir, join(descriptorDir, value), what);
		} catch (error) {
			if (error instanceof FeedDefinitionError) {
				throw refuse(error.problems.join(' '), error.message);
			}
			throw error;
		}
		try {
			resource[key] = readJson(path, what, value);
		} catch (error) {
			if (error instanceof FeedDefinitionError) {
				throw refuse(error.problems.join(' '), error.message);
			}
			throw error;
		}
	}
	// The descriptor object is the parse's own; its resources array may still be the caller's.
	descriptor.resources = (descriptor.resources as unknown[]).map((r, i) =>
		i === index ? resource : r
	);
}

/**
 * A file a definition names (a descriptor, a Table Schema), resolved in the definition's own
 * folder: a path that leads out of it ("../../etc/passwd", an absolute path, a link pointing
 * elsewhere) is refused, so a definition can never make the server read other files.
 */
export function confinedPath(baseDir: string, relativePath: string, what: string): string {
	const refused = () =>
		new FeedDefinitionError(
			[`${what} muss im selben Ordner wie die Definition liegen (angegeben: „${relativePath}“).`],
			`Path ${relativePath} leaves the definition's folder`
		);
	if (isAbsolute(relativePath)) throw refused();
	const root = realpathOrSelf(resolve(baseDir));
	const target = realpathOrSelf(resolve(root, relativePath));
	const inside = relative(root, target);
	if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw refused();
	return target;
}

function realpathOrSelf(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}

export function loadDefinitionFile(path: string): FeedDefinition {
	return parseDefinition(readJson(path, 'Die Definition'), dirname(resolve(path)));
}

/** A JSON object from a file; `shown` is how messages name it (default: the path). */
function readJson(path: string, what: string, shown = path): Record<string, unknown> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		throw new FeedDefinitionError([`${what} „${shown}“ ist nicht lesbar.`], `Cannot read ${path}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text.replace(/^\ufeff/, ''));
	} catch {
		// Never the parser's message: it quotes the file's content.
		throw new FeedDefinitionError(
			[`${what} „${basename(path)}“ ist kein gültiges JSON.`],
			`${path} is not valid JSON`
		);
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new FeedDefinitionError(
			[`${what} „${basename(path)}“ ist kein JSON-Objekt { … }.`],
			`${path} is not a JSON object`
		);
	}
	return json as Record<string, unknown>;
}

/** Stores (or replaces) a feed's definition; a changed definition is audited. */
export function registerFeed(
	db: DbOrTx,
	definition: FeedDefinition,
	userId: string | null,
	now: Date
): void {
	db.transaction((tx) => {
		writeDefinition(tx, definition, userId, now);
	});
}

/**
 * `registerFeed` inside a transaction the caller holds: a run that brings a new or changed
 * definition stores it with its own success, so a failed run never replaces the stored
 * definition or leaves a new feed behind.
 */
export function writeDefinition(
	db: DbOrTx,
	definition: FeedDefinition,
	userId: string | null,
	now: Date
): number {
	const json = JSON.stringify(definition);
	const old = db
		.select({ definition: feeds.definition, version: feeds.version })
		.from(feeds)
		.where(eq(feeds.id, definition.id))
		.get();
	if (old?.definition === json) return old.version;
	const at = now.toISOString();
	const version = old ? old.version + 1 : 1;
	const row = {
		title: definition.title,
		ownerDepartment: definition.owner.department,
		cadence: definition.cadence,
		definition: json,
		version,
		updatedAt: at
	};
	db.insert(feeds)
		.values({ id: definition.id, createdAt: at, ...row })
		.onConflictDoUpdate({ target: feeds.id, set: row })
		.run();
	db.insert(feedDefinitionVersions)
		.values({ feedId: definition.id, version, definition: json, savedAt: at, savedBy: userId })
		.run();
	appendAudit(
		db,
		{
			userId,
			action: old ? 'feed.update' : 'feed.create',
			entity: 'feed',
			entityId: definition.id,
			oldValue: old ? JSON.parse(old.definition) : undefined,
			newValue: { ...definition, version }
		},
		now
	);
	return version;
}

/** Whether a feed takes deliveries (false for a retired one and for one that does not exist). */
export function feedIsActive(db: DbOrTx, feedId: string): boolean {
	return (
		db.select({ active: feeds.active }).from(feeds).where(eq(feeds.id, feedId)).get()?.active ??
		false
	);
}

/** The version of a feed's stored definition; null for a feed that does not exist. */
export function storedVersion(db: DbOrTx, feedId: string): number | null {
	return (
		db.select({ version: feeds.version }).from(feeds).where(eq(feeds.id, feedId)).get()?.version ??
		null
	);
}

export function storedDefinition(db: DbOrTx, feedId: string): FeedDefinition | null {
	const row = db
		.select({ definition: feeds.definition })
		.from(feeds)
		.where(eq(feeds.id, feedId))
		.get();
	return row ? FeedDefinitionV1.parse(JSON.parse(row.definition)) : null;
}

export function storedDefinitions(db: DbOrTx): FeedDefinition[] {
	return db
		.select({ definition: feeds.definition })
		.from(feeds)
		.orderBy(asc(feeds.title))
		.all()
		.map((row) => FeedDefinitionV1.parse(JSON.parse(row.definition)));
}
