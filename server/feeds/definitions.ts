import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { feedDefinitionVersions, feeds } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { FeedDefinitionV1, type FeedDefinition } from '#shared/feeds';

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
 * `baseDir` and inlined, so the stored definition is complete.
 */
export function parseDefinition(json: unknown, baseDir?: string): FeedDefinition {
	const parsed = FeedDefinitionV1.safeParse(json);
	if (!parsed.success) {
		const problems = parsed.error.issues.map(
			(issue) => `${issue.path.join('.') || 'Definition'}: ${issue.message}`
		);
		throw new FeedDefinitionError(
			problems,
			`Invalid feed definition: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
		);
	}
	const definition = parsed.data;
	if (
		definition.source.format === 'datapackage' &&
		typeof definition.source.descriptor === 'string'
	) {
		if (!baseDir) {
			throw new FeedDefinitionError(
				['Der Data-Package-Deskriptor muss in der Definition enthalten sein.'],
				'A descriptor path needs the directory of the definition file'
			);
		}
		const path = confinedPath(baseDir, definition.source.descriptor, 'Der Data-Package-Deskriptor');
		definition.source.descriptor = readJson(path, 'Der Data-Package-Deskriptor');
	}
	return definition;
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

function readJson(path: string, what: string): Record<string, unknown> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		throw new FeedDefinitionError([`${what} „${path}“ ist nicht lesbar.`], `Cannot read ${path}`);
	}
	try {
		return JSON.parse(text.replace(/^\ufeff/, ''));
	} catch {
		// Never the parser's message: it quotes the file's content.
		throw new FeedDefinitionError(
			[`${what} „${basename(path)}“ ist kein gültiges JSON.`],
			`${path} is not valid JSON`
		);
	}
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
