/**
 * Which folders import which, with counts: `npx tsx tests/architecture/import-graph.ts`.
 * Reads every TypeScript, JavaScript and Svelte file under src/, server/ and tests/, resolves
 * relative, `$lib`, `$server` and subpath (`#shared/…`) imports to files and counts the imports
 * between folder groups (the layers of README's architecture). `--json` prints the edges.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCES = ['src', 'server', 'tests'];
const EXTENSIONS = ['.ts', '.js', '.svelte'];

/** Aliases as svelte.config.js and package.json `imports` define them. */
function aliases(): [string, string][] {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		imports?: Record<string, string>;
	};
	const fromPackage = Object.entries(pkg.imports ?? {}).map(
		([from, to]) =>
			[from.replace(/\*$/, ''), to.replace(/^\.\//, '').replace(/\*.*$/, '')] as [string, string]
	);
	return [['$lib/', 'src/lib/'], ['$server/', 'server/'], ...fromPackage];
}

export function filesOf(dir: string): string[] {
	const full = join(ROOT, dir);
	if (!existsSync(full)) return [];
	return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesOf(path);
		return EXTENSIONS.some((e) => entry.name.endsWith(e)) && !entry.name.endsWith('.d.ts')
			? [path]
			: [];
	});
}

const IMPORT =
	/(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

export function importsOf(file: string): string[] {
	const text = readFileSync(join(ROOT, file), 'utf8');
	return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function resolveFile(base: string): string | null {
	const candidates = [
		base,
		...EXTENSIONS.map((e) => base + e),
		...EXTENSIONS.map((e) => join(base, `index${e}`))
	];
	for (const c of candidates) {
		const full = join(ROOT, c);
		if (existsSync(full) && statSync(full).isFile()) return c;
	}
	if (base.endsWith('.js')) return resolveFile(base.slice(0, -3));
	return null;
}

/** The file an import names, relative to the root; null for packages. */
export function resolveImport(from: string, specifier: string): string | null {
	for (const [prefix, target] of aliases()) {
		if (specifier.startsWith(prefix)) return resolveFile(target + specifier.slice(prefix.length));
	}
	if (!specifier.startsWith('.')) return null;
	return resolveFile(relative(ROOT, resolve(ROOT, dirname(from), specifier)));
}

/** The layer a file belongs to, as README names them. */
export function groupOf(file: string): string {
	const parts = file.split('/');
	if (parts[0] === 'src' && parts[1] === 'lib')
		return parts.length > 3 ? `src/lib/${parts[2]}` : 'src/lib';
	if (parts[0] === 'src' && parts[1] === 'routes') return 'src/routes';
	if (parts[0] === 'src') return 'src';
	if (parts[0] === 'server' || parts[0] === 'tests')
		return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
	return parts[0]!;
}

export function importGraph(): Map<string, number> {
	const edges = new Map<string, number>();
	for (const file of SOURCES.flatMap(filesOf)) {
		for (const specifier of importsOf(file)) {
			const target = resolveImport(file, specifier);
			if (!target) continue;
			const from = groupOf(file);
			const to = groupOf(target);
			if (from === to) continue;
			const key = `${from} -> ${to}`;
			edges.set(key, (edges.get(key) ?? 0) + 1);
		}
	}
	return edges;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const edges = [...importGraph()].sort(([a], [b]) => a.localeCompare(b));
	if (process.argv.includes('--json'))
		console.log(JSON.stringify(Object.fromEntries(edges), null, 2));
	else {
		const production = edges.filter(([key]) => !key.startsWith('tests'));
		for (const [key, n] of production) console.log(`${String(n).padStart(4)}  ${key}`);
		const fromTests = edges.filter(([key]) => key.startsWith('tests'));
		console.log(
			`(tests: ${fromTests.reduce((sum, [, n]) => sum + n, 0)} imports into ${new Set(fromTests.map(([k]) => k.split(' -> ')[1])).size} groups)`
		);
	}
}
