import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase } from '#server/db/connection';
import { main as catalogue } from '#server/kpis/catalogue-cli';
import { main as admin } from '#server/auth/admin-cli';
import { readJsonText } from '#server/json-text';
import { DEMO_CATALOGUE_FILE } from '#server/db/demo/catalogue';
import { CatalogueKpiV1 } from '#shared/catalogue';
import { count, removeTempDirs, tempDir } from './helpers';

let dir: string;
let lines: string[];
const out = (line: string) => void lines.push(line);

beforeEach(() => {
	dir = tempDir();
	process.env.KLAR_DB = join(dir, 'klar.db');
	lines = [];
});

afterAll(() => {
	delete process.env.KLAR_DB;
	removeTempDirs();
});

const db = () => openDatabase(process.env.KLAR_DB!);

describe('npm run catalogue', () => {
	test('apply, apply again (nothing changes), export gives the file back', () => {
		expect(catalogue(['apply', DEMO_CATALOGUE_FILE.pathname, '--dry-run'], out, out)).toBe(0);
		expect(lines[0]).toBe('✓ Probelauf: Der Katalog ist gültig. Übernommen würde:');
		let opened = db();
		expect(count(opened, 'kpi_definitions')).toBe(0);
		opened.$client.close();

		expect(catalogue(['apply', DEMO_CATALOGUE_FILE.pathname], out, out)).toBe(0);
		lines = [];
		opened = db();
		const changes = count(opened, 'change_log');
		opened.$client.close();
		expect(catalogue(['apply', DEMO_CATALOGUE_FILE.pathname], out, out)).toBe(0);
		expect(lines).toEqual([
			'✓ Der Katalog wurde übernommen.',
			'  Neu: –',
			'  Geändert: –',
			expect.stringMatching(/^ {2}Unverändert: \d+$/)
		]);
		opened = db();
		expect(count(opened, 'change_log')).toBe(changes);
		opened.$client.close();

		const exported = join(dir, 'export.json');
		expect(catalogue(['export', exported], out, out)).toBe(0);
		expect(JSON.parse(readFileSync(exported, 'utf8'))).toEqual(
			JSON.parse(readFileSync(DEMO_CATALOGUE_FILE, 'utf8'))
		);
	});

	test('a wrong file is refused with the line and field of each problem, and nothing is written', () => {
		const text = readFileSync(DEMO_CATALOGUE_FILE, 'utf8').replace(
			'"unit": "Personen"',
			'"unit": "Personen", "einheit": "x"'
		);
		const file = join(dir, 'wrong.json');
		writeFileSync(file, text);
		const line = text.split('\n').findIndex((l) => l.includes('"einheit"')) + 1;
		expect(catalogue(['apply', file], out, out)).toBe(1);
		expect(lines[0]).toBe(
			'✕ Der Katalog wurde nicht übernommen: 1 Fehler. Es wurde nichts geändert.'
		);
		expect(lines[1]).toMatch(
			new RegExp(
				`^ {2}Zeile ${line}, kpis\\[\\d+\\]\\.einheit: Das Feld „einheit“ kennt KLAR hier nicht`
			)
		);
		const opened = db();
		expect(count(opened, 'kpi_definitions')).toBe(0);
		opened.$client.close();
	});

	test('a value of the wrong kind is named in German, never in zod’s English', () => {
		const text = readFileSync(DEMO_CATALOGUE_FILE, 'utf8').replace(
			'"unit": "Personen"',
			'"unit": 42'
		);
		const file = join(dir, 'number-as-unit.json');
		writeFileSync(file, text);
		expect(catalogue(['apply', file], out, out)).toBe(1);
		const problems = lines.slice(1);
		expect(problems.length).toBeGreaterThan(0);
		for (const problem of problems) {
			expect(problem).toMatch(
				/^ {2}Zeile \d+, kpis\[\d+\]\.unit: Erwartet ein Text in Anführungszeichen, angegeben ist eine Zahl\.$/
			);
		}
	});

	test('broken JSON names line and column; a wrong call shows the usage', () => {
		const file = join(dir, 'broken.json');
		writeFileSync(file, '{\n  "format": "klar-catalogue",\n  "version": 1,\n}\n');
		expect(catalogue(['apply', file], out, out)).toBe(1);
		expect(lines[0]).toMatch(/^✕ Zeile 4, Spalte 1: Die Datei ist kein gültiges JSON/);
		expect(catalogue(['apply'], out, out)).toBe(2);
		expect(catalogue(['import', file], out, out)).toBe(2);
	});

	test('a missing field is reported at the line of the entry that lacks it', () => {
		const read = readJsonText('{\n  "kpis": [\n    {\n      "id": "a.b"\n    }\n  ]\n}');
		expect(read.ok && read.locate(['kpis', 0, 'title'])).toBe(3);
		expect(read.ok && read.locate(['kpis', 0, 'id'])).toBe(4);
	});
});

describe('npm run admin -- create', () => {
	test('creates the first administrator on an empty database; a second time is refused', async () => {
		expect(
			await admin(['create', 'chefin', '--name', 'Petra Chefin'], async () => 'ein langes Passwort')
		).toBe(0);
		const opened = db();
		expect(
			opened.$client.prepare(`SELECT username, display_name AS name, role FROM users`).all()
		).toEqual([{ username: 'chefin', name: 'Petra Chefin', role: 'admin' }]);
		expect(count(opened, 'audit_log', `action = 'user.create' AND user_id IS NULL`)).toBe(1);
		opened.$client.close();
		let asked = false;
		const again = await admin(['create', 'chefin'], async () => {
			asked = true;
			return 'ein langes Passwort';
		});
		expect(again).toBe(1);
		expect(asked).toBe(false);
	});

	test('a password that is too short or two that differ create nothing', async () => {
		expect(await admin(['create', 'kurz'], async () => 'kurz')).toBe(1);
		expect(await admin(['create', 'anders'], async () => null)).toBe(1);
		expect(await admin(['create'], async () => 'x')).toBe(2);
		const opened = db();
		expect(count(opened, 'users')).toBe(0);
		opened.$client.close();
	});
});

describe('the catalogue file as README documents it', () => {
	test('the complete example applies to an empty installation as it stands', () => {
		const readme = readFileSync('README.md', 'utf8');
		const section = readme.slice(readme.indexOf('### The catalogue file'));
		const example = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
		expect(example).toBeDefined();
		const file = join(dir, 'readme.json');
		writeFileSync(file, example!);
		expect(catalogue(['apply', file], out, out)).toBe(0);
		expect(lines[1]).toBe(
			'  Neu: Bereich rettung, Aufgliederung einsatzart, ret.einsaetze, ret.einwohner, ret.einsaetze_je_1000, ret.gebuehren.ist, ret.gebuehren.plan'
		);
	});

	test('every field of the KPI schema is described in the README table', () => {
		const readme = readFileSync('README.md', 'utf8');
		const table = readme.slice(readme.indexOf('**A KPI**'), readme.indexOf('**Formulas.**'));
		for (const field of Object.keys(CatalogueKpiV1.shape))
			expect(table, field).toContain(`\`${field}\``);
	});
});
