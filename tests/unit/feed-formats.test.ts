import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedDefinitionError, parseDefinition } from '#server/feeds/definitions';
import { readResource } from '#server/feeds/datapackage';
import { genesisReader } from '#server/feeds/genesis';
import { FeedFailure } from '#server/feeds/mapping';
import { datePattern, datePeriodReader, genesisPeriodReader, isDate } from '#server/feeds/periods';
import { readCsv, type TableSink } from '#server/feeds/readers';
import { zipEntries } from '#server/feeds/zip';
import { FeedDefinitionV1, GENESIS_MARKERS, type FeedRunError } from '#shared/feeds';
import { genesisZip } from '../support/zip';
import { removeTempDirs, tempDir } from '../server/helpers';

afterAll(removeTempDirs);

const ENGLISH = /Invalid|expected|received|Unrecognized|Too small|Too big|must be/;

const base = {
	id: 'test-feed',
	title: 'Test',
	owner: { department: 'Amt', contact: 'Frau X' },
	source: { format: 'csv', dialect: { delimiter: ';' } },
	mapping: {
		period: { column: 'Jahr', format: 'YYYY' },
		values: [{ column: 'Wert', kpi: { fixed: 'k' } }]
	},
	cadence: 'yearly'
};

function problemsOf(run: () => unknown): string[] {
	try {
		run();
	} catch (error) {
		if (error instanceof FeedDefinitionError) return error.problems;
		throw error;
	}
	throw new Error('expected a FeedDefinitionError');
}

describe('definition errors are German and say where', () => {
	it('enum values, types, unknown fields and formats: no zod English reaches the user', () => {
		const problems = problemsOf(() =>
			parseDefinition({
				...base,
				status: 'finished',
				cadence: 'jährlich',
				graceDays: '7',
				mapings: {},
				owner: { department: 'Amt' }
			})
		);
		expect(problems).toEqual([
			'owner.contact: Angabe fehlt (erwartet: ein Text in Anführungszeichen).',
			'status: Bitte final oder provisional angeben.',
			'cadence: Bitte einen Rhythmus angeben: daily, weekly, monthly, quarterly oder yearly.',
			'graceDays: Erwartet eine Zahl, angegeben ist ein Text.',
			'Definition: Das Feld „mapings“ kennt KLAR hier nicht.'
		]);
		for (const problem of problems) expect(problem).not.toMatch(ENGLISH);
	});

	it('an unknown source format lists the formats; a union names the closest form’s gap', () => {
		expect(problemsOf(() => parseDefinition({ ...base, source: { format: 'xlsx' } }))).toEqual([
			'source.format: Erlaubt sind "csv", "json", "datapackage", "genesis-ffcsv".'
		]);
		expect(
			problemsOf(() =>
				parseDefinition({
					...base,
					mapping: { ...base.mapping, values: [{ column: 'Wert', kpi: { column: 'Merkmal' } }] }
				})
			)
		).toEqual(['mapping.values[0].kpi.lookup: Angabe fehlt (erwartet: ein Objekt { … }).']);
	});

	it('what a mapping may name depends on the format', () => {
		expect(
			problemsOf(() =>
				parseDefinition({
					...base,
					mapping: {
						period: { column: 'Jahr' },
						dimensions: { district: { variable: 'KREISE' } },
						values: base.mapping.values
					}
				})
			)
		).toEqual([
			'mapping.dimensions.district.variable: „variable“ gibt es nur bei GENESIS-Dateien (source.format „genesis-ffcsv“); bitte „column“ angeben.',
			'mapping.period.format: Bitte das Zeitformat der Spalte angeben.'
		]);
		expect(
			problemsOf(() =>
				parseDefinition({
					...base,
					source: { format: 'genesis-ffcsv' },
					mapping: {
						period: { column: 'time', format: 'YYYY' },
						dimensions: { kreis: { column: 'KREISE' } },
						values: [{ column: 'Wert', kpi: { fixed: 'k' } }]
					}
				})
			)
		).toEqual([
			'mapping.dimensions.kreis.column: „KREISE“ ist keine Spalte einer GENESIS-Datei (statistics_code, statistics_label, time_code, time_label, time, value, value_unit, value_variable_code, value_variable_label, value_q); ein Merkmal wie KREISE wird mit „variable“ gewählt.',
			'mapping.values[0].column: „Wert“ ist keine Spalte einer GENESIS-Datei (statistics_code, statistics_label, time_code, time_label, time, value, value_unit, value_variable_code, value_variable_label, value_q); ein Merkmal wie KREISE wird mit „variable“ gewählt.',
			'mapping.values[0].column: In einer GENESIS-Datei steht der Wert in der Spalte „value“.',
			'mapping.period: Eine GENESIS-Datei nennt ihren Zeitraum selbst (time und time_code); „period“ kann nur „variable“ angeben (MONAT oder QUARTG).'
		]);
		expect(
			problemsOf(() =>
				parseDefinition({
					...base,
					mapping: {
						...base.mapping,
						filters: [{ column: 'Geschlecht', variable: 'GES', equals: 'x', oneOf: ['y'] }]
					}
				})
			)
		).toEqual([
			'mapping.filters[0]: Bitte entweder „column“ (eine Spalte der Datei) oder „variable“ (ein Merkmal einer GENESIS-Datei) angeben.',
			'mapping.filters[0]: Bitte entweder „equals“ (ein Wert) oder „oneOf“ (eine Liste von Werten) angeben.',
			'mapping.filters[0].variable: „variable“ gibt es nur bei GENESIS-Dateien (source.format „genesis-ffcsv“); bitte „column“ angeben.'
		]);
	});

	it('a GENESIS definition gets the GENESIS signs as markers unless it names its own', () => {
		const genesis = {
			...base,
			source: { format: 'genesis-ffcsv' },
			mapping: { values: [{ column: 'value', kpi: { fixed: 'k' } }] }
		};
		const parsed = FeedDefinitionV1.parse(genesis);
		expect(parsed.markers).toEqual(GENESIS_MARKERS);
		expect(parsed.source).toEqual({ format: 'genesis-ffcsv', encoding: 'utf-8', decimal: ',' });
		const own = { missing: ['-'], suppressed: ['.'] };
		expect(FeedDefinitionV1.parse({ ...genesis, markers: own }).markers).toEqual(own);
		expect(FeedDefinitionV1.parse(base).markers).toEqual({
			missing: ['-', ''],
			suppressed: ['.', 'x']
		});
	});
});

describe('a Data Package descriptor in the definition', () => {
	const resource = (extra: Record<string, unknown> = {}) => ({
		name: 'tabelle',
		path: 'tabelle.csv',
		schema: {
			fields: [
				{ name: 'Jahr', type: 'year' },
				{ name: 'Wert', type: 'number' }
			]
		},
		...extra
	});
	const withDescriptor = (descriptor: unknown, rest: Record<string, unknown> = {}) => ({
		...base,
		source: { format: 'datapackage', descriptor, ...rest }
	});

	it('regression: a schema given as a path is read from the descriptor’s folder and inlined', () => {
		const dir = tempDir();
		mkdirSync(join(dir, 'paket', 'schemas'), { recursive: true });
		writeFileSync(
			join(dir, 'paket', 'datapackage.json'),
			JSON.stringify({ resources: [resource({ schema: 'schemas/tabelle.json' })] })
		);
		writeFileSync(join(dir, 'paket', 'schemas', 'tabelle.json'), JSON.stringify(resource().schema));
		const definition = parseDefinition(withDescriptor('paket/datapackage.json'), dir);
		expect(definition.source).toMatchObject({
			descriptor: { resources: [{ schema: resource().schema }] }
		});
	});

	it('a schema or dialect path that leaves the folder, is a URL or cannot be read is refused', () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'geheim.json'), 'root:x:0:0:root:/root:/bin/bash');
		writeFileSync(join(dir, 'kaputt.json'), 'root:x:0:0');
		const refused = (schema: string, sub = dir) =>
			problemsOf(() => parseDefinition(withDescriptor({ resources: [resource({ schema })] }), sub));
		const feeds = join(dir, 'feeds');
		mkdirSync(feeds);
		expect(refused('../geheim.json', feeds)).toEqual([
			'source.descriptor.resources[0].schema: Das Table Schema muss im Ordner der datapackage.json oder darunter liegen, nicht in einem übergeordneten oder versteckten Ordner (angegeben: „../geheim.json“).'
		]);
		expect(refused('/etc/passwd')[0]).toMatch(/^source\.descriptor\.resources\[0\]\.schema: /);
		expect(refused('.git/config')[0]).toMatch(/versteckten Ordner/);
		expect(refused('https://example.org/schema.json')).toEqual([
			'source.descriptor.resources[0].schema: Das Table Schema ist als Adresse angegeben („https://example.org/schema.json“); KLAR lädt nichts aus dem Netz. Bitte die Datei neben die datapackage.json legen und als Pfad angeben.'
		]);
		expect(refused('fehlt.json')).toEqual([
			'source.descriptor.resources[0].schema: Das Table Schema „fehlt.json“ ist nicht lesbar.'
		]);
		const broken = refused('kaputt.json');
		expect(broken).toEqual([
			'source.descriptor.resources[0].schema: Das Table Schema „kaputt.json“ ist kein gültiges JSON.'
		]);
		expect(JSON.stringify(broken)).not.toContain('root');
		// Without its file's folder a definition cannot name paths at all.
		expect(
			problemsOf(() =>
				parseDefinition(withDescriptor({ resources: [resource({ dialect: 'dialekt.json' })] }))
			)
		).toEqual([
			'source.descriptor.resources[0].dialect: Der Dialekt ist als Pfad angegeben („dialekt.json“); die Definition muss aus ihrer Datei geladen werden, damit KLAR ihn liest.'
		]);
	});

	it('several resources: the named one, or a German list of the ones there are', () => {
		const descriptor = {
			resources: [resource(), resource({ name: 'andere' }), { path: 'ohne-namen.csv' }]
		};
		expect(problemsOf(() => parseDefinition(withDescriptor(descriptor)))).toEqual([
			'source.resource: Das Data Package hat 3 Ressourcen („tabelle“, „andere“, Nr. 3 ohne Namen); bitte mit „resource“ eine davon nennen.'
		]);
		expect(
			problemsOf(() => parseDefinition(withDescriptor(descriptor, { resource: 'tabele' })))
		).toEqual([
			'source.resource: Das Data Package hat keine Ressource „tabele“. Vorhanden: „tabelle“, „andere“, Nr. 3 ohne Namen.'
		]);
		expect(() => parseDefinition(withDescriptor(descriptor, { resource: 'andere' }))).not.toThrow();
	});

	it('dialect properties the reader cannot honour are refused, each at its place', () => {
		const dialect = {
			delimiter: ';',
			escapeChar: '\\',
			lineTerminator: '\r',
			headerRows: [1, 2],
			sheetName: 'Tabelle1'
		};
		expect(
			problemsOf(() => parseDefinition(withDescriptor({ resources: [resource({ dialect })] })))
		).toEqual([
			'source.descriptor.resources[0].dialect.escapeChar: Ein Fluchtzeichen (escapeChar) liest KLAR nicht; Anführungszeichen in Feldern bitte verdoppeln (doubleQuote).',
			'source.descriptor.resources[0].dialect.sheetName: Die Angabe „sheetName“ gehört nicht zu einem CSV-Dialekt, den KLAR liest (delimiter, quoteChar, doubleQuote, header, skipInitialSpace, lineTerminator, commentChar, nullSequence).',
			'source.descriptor.resources[0].dialect.headerRows: Mehrzeilige oder verschobene Kopfzeilen (headerRows) liest KLAR nicht; die Kopfzeile muss die erste Zeile sein ([1]).',
			'source.descriptor.resources[0].dialect.lineTerminator: Das Zeilenende "\\r" liest KLAR nicht; gelesen werden "\\n" und "\\r\\n".'
		]);
	});

	it('a schema that is neither object nor path, a spreadsheet resource, a date pattern by name', () => {
		expect(
			problemsOf(() => parseDefinition(withDescriptor({ resources: [resource({ schema: 5 })] })))
		).toEqual([
			'source.descriptor.resources[0].schema: Bitte das Table Schema als Objekt oder als Pfad zu einer JSON-Datei angeben.'
		]);
		expect(
			problemsOf(() =>
				parseDefinition(withDescriptor({ resources: [resource({ format: 'xlsx' })] }))
			)
		).toEqual([
			'source.descriptor.resources[0].format: Die Ressource hat das Format „xlsx“; gelesen werden CSV und TSV.'
		]);
		const monthNames = resource({
			schema: { fields: [{ name: 'Jahr', type: 'date', format: '%d. %B %Y' }, { name: 'Wert' }] }
		});
		expect(
			problemsOf(() =>
				parseDefinition({
					...withDescriptor({ resources: [monthNames] }),
					mapping: { ...base.mapping, period: { column: 'Jahr' } }
				})
			)
		).toEqual([
			'source.descriptor.resources[0].schema.fields[0].format: Das Datumsformat „%d. %B %Y“ enthält %B; Namen und 12-Stunden-Angaben hängen von der Sprache der Datei ab. Gelesen werden %Y, %y, %m, %d, %j, %H, %M, %S, %f, %z und %%.'
		]);
		// Without a format the period column must be a date of the schema.
		expect(
			problemsOf(() =>
				parseDefinition({
					...withDescriptor({ resources: [resource()] }),
					mapping: { ...base.mapping, period: { column: 'Wert' } }
				})
			)
		).toEqual([
			'mapping.period.format: Die Spalte „Wert“ hat im Table Schema den Typ „number“, kein Datum; bitte mapping.period.format angeben (z. B. YYYY).'
		]);
	});

	it('TSV: tab and no quoting by format, media type or extension; a dialect may say otherwise', () => {
		const read = (extra: Record<string, unknown>) => {
			const result = readResource({ resources: [resource(extra)] }, undefined);
			if (!('resource' in result)) throw new Error(JSON.stringify(result.problems));
			return result.resource;
		};
		for (const extra of [
			{ format: 'tsv' },
			{ mediatype: 'text/tab-separated-values' },
			{ path: 'daten/tabelle.tsv' }
		]) {
			expect(read(extra)).toMatchObject({ format: 'tsv', delimiter: '\t', quote: '' });
		}
		expect(read({ format: 'tsv', dialect: { quoteChar: '"' } })).toMatchObject({
			delimiter: '\t',
			quote: '"'
		});
		expect(read({})).toMatchObject({ format: 'csv', delimiter: ',', quote: '"', header: true });
	});

	it('missing values: the field’s list replaces the schema’s; nullSequence adds one', () => {
		const result = readResource(
			{
				resources: [
					resource({
						dialect: { nullSequence: 'NA' },
						schema: {
							fields: [
								{ name: 'Jahr', type: 'year' },
								{ name: 'Wert', type: 'number', missingValues: ['k. A.'] }
							],
							missingValues: ['', '-', { value: '.', label: 'geheim' }]
						}
					})
				]
			},
			undefined
		);
		if (!('resource' in result)) throw new Error('expected a resource');
		expect(result.resource.missingValues('Jahr')).toEqual(['', '-', '.', 'NA']);
		expect(result.resource.missingValues('Wert')).toEqual(['k. A.', 'NA']);
	});
});

describe('Table Schema date patterns (strptime)', () => {
	const pattern = (format: string, type: 'date' | 'datetime' = 'date') => {
		const compiled = datePattern(type, format);
		if ('error' in compiled) throw new Error(compiled.error);
		return compiled;
	};

	it('reads numeric directives as Python does, one-digit days and months included', () => {
		expect(pattern('%d.%m.%Y').read('1.2.2024')).toEqual({ year: 2024, month: 2, day: 1 });
		expect(pattern('%Y-%m-%d').read('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
		expect(pattern('%d/%m/%y').read('31/12/68')).toEqual({ year: 2068, month: 12, day: 31 });
		expect(pattern('%d/%m/%y').read('31/12/69')).toEqual({ year: 1969, month: 12, day: 31 });
		expect(pattern('%Y%j').read('2024060')).toEqual({ year: 2024, month: 2, day: 29 });
		expect(pattern('%d.%m.%Y %H:%M:%S', 'datetime').read('31.12.2025 23:59:00')).toEqual({
			year: 2025,
			month: 12,
			day: 31
		});
		expect(pattern('%m.%Y').read('03.2026')).toEqual({ year: 2026, month: 3, day: 1 });
		expect(pattern('%d.%m.%Y').read('2024-02-01')).toBeNull();
	});

	it('default is ISO 8601; any also takes the German form; impossible days are no dates', () => {
		expect(pattern('default').read('2024-1-1')).toBeNull();
		expect(pattern('default', 'datetime').read('2024-01-26T15:00:00.300-05:00')).toEqual({
			year: 2024,
			month: 1,
			day: 26
		});
		expect(pattern('any').read('31.12.2025')).toEqual({ year: 2025, month: 12, day: 31 });
		expect(isDate(pattern('%d.%m.%Y'), '31.02.2025')).toBe(false);
		expect(isDate(pattern('fmt:%d.%m.%Y'), '28.02.2025')).toBe(true);
	});

	it('refuses patterns that depend on the file’s language, unknown ones, and ones without a year', () => {
		expect(datePattern('date', '%b %Y')).toEqual({
			error:
				'Das Datumsformat „%b %Y“ enthält %b; Namen und 12-Stunden-Angaben hängen von der Sprache der Datei ab. Gelesen werden %Y, %y, %m, %d, %j, %H, %M, %S, %f, %z und %%.'
		});
		expect(datePattern('date', '%d.%m.%Q')).toMatchObject({ error: expect.stringContaining('%Q') });
		expect(datePattern('date', '%d.%m.')).toEqual({
			error: 'Das Datumsformat „%d.%m.“ enthält kein Jahr (%Y oder %y).'
		});
	});

	it('a date becomes the period of the KPI’s cadence that contains it', () => {
		const read = datePeriodReader(pattern('%d.%m.%Y'), '%d.%m.%Y');
		expect(read('31.12.2025', 'yearly')).toEqual({ period: '2025' });
		expect(read('31.12.2025', 'monthly')).toEqual({ period: '2025-12' });
		expect(read('31.12.2025', 'quarterly')).toEqual({ period: '2025-Q4' });
		expect(read('2025-12-31', 'yearly')).toEqual({
			error: '„2025-12-31“ ist kein Datum im Format %d.%m.%Y des Table Schema.'
		});
	});
});

describe('GENESIS periods and rows', () => {
	it('reads years, months, quarters and Stichtage for the KPI’s cadence', () => {
		expect(genesisPeriodReader('2023-12-31', 'yearly')).toEqual({ period: '2023' });
		expect(genesisPeriodReader('31.12.2022', 'yearly')).toEqual({ period: '2022' });
		expect(genesisPeriodReader('2021-11', 'monthly')).toEqual({ period: '2021-11' });
		expect(genesisPeriodReader('2021-Q3', 'quarterly')).toEqual({ period: '2021-Q3' });
		expect(genesisPeriodReader('2021', 'monthly')).toEqual({
			error: '„2021“ passt nicht zur Kennzahl: sie hat monatliche Werte.'
		});
		expect(genesisPeriodReader('WS 2023/24', 'yearly')).toMatchObject({
			error: expect.stringContaining('keine Zeitangabe einer GENESIS-Datei')
		});
	});

	function read(text: string, plan = { variables: ['KREISE'], periodVariable: undefined }) {
		const rows: unknown[][] = [];
		const skipped: number[] = [];
		const rejected: FeedRunError[] = [];
		let header: string[] = [];
		const sink: TableSink = {
			header: (columns) => void (header = columns),
			row: (_, cells) => void rows.push(cells),
			skip: (line) => void skipped.push(line),
			reject: (error) => void rejected.push(error)
		};
		const reader = genesisReader(plan, sink);
		// Odd-sized pieces: rows are cut across writes as the runner's chunks cut them.
		for (let i = 0; i < text.length; i += 7) reader.write(text.slice(i, i + 7));
		reader.end();
		return { header, rows, skipped, rejected };
	}
	const HEADER =
		'statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label\n';

	it('finds a variable in whichever block a row has it and hands the mapping fixed cells', () => {
		const { header, rows, skipped } = read(
			HEADER +
				'12411;Bev;STAG;Stichtag;2023-12-31;GES;Geschlecht;;Insgesamt;KREISE;Kreise;07312;Kaiserslautern, kreisfreie Stadt;101486;Anzahl;BEVSTD;Bevölkerungsstand\n' +
				'12411;Bev;STAG;Stichtag;2023-12-31;KREISE;Kreise;07312;Kaiserslautern;GES;Geschlecht;GESW;weiblich;50956;Anzahl;BEVSTD;Bevölkerungsstand\n'
		);
		expect(header).toEqual([
			'statistics_code',
			'statistics_label',
			'time_code',
			'time_label',
			'time',
			'value',
			'value_unit',
			'value_variable_code',
			'value_variable_label',
			'value_q',
			'Merkmal KREISE',
			'Zeitraum'
		]);
		expect(rows).toEqual([
			[
				'12411',
				'Bev',
				'STAG',
				'Stichtag',
				'2023-12-31',
				'101486',
				'Anzahl',
				'BEVSTD',
				'Bevölkerungsstand',
				'',
				'07312',
				'2023-12-31'
			]
		]);
		expect(skipped).toEqual([3]);
	});

	it('refuses a header of another layout, naming the place and what was expected', () => {
		const error = catching(() =>
			read(HEADER.replace(';value_variable_label', ';value_label') + '12411;\n')
		);
		expect(error.error).toMatchObject({ code: 'columns', line: 1 });
		expect(error.error.message).toMatch(
			/^Die Kopfzeile ist nicht die einer GENESIS-Flat-File-CSV: an Stelle 17 steht „value_label“, erwartet „value_variable_label“\./
		);
	});
});

describe('CSV reading for Data Package dialects', () => {
	function rows(text: string, options: Partial<Parameters<typeof readCsv>[1]>) {
		const out: unknown[][] = [];
		readCsv(
			[text],
			{ delimiter: ',', quote: '"', header: true, skipLines: 0, ...options },
			{ header: (h) => out.push(h), row: (_, cells) => void out.push(cells) }
		);
		return out;
	}

	it('without quoting a quote is text; comments are skipped before and after the header', () => {
		expect(
			rows('# Stand: 1.11.\na\tb\n"x" y\t"z\n# Nachtrag\n1\t2\n', {
				delimiter: '\t',
				quote: '',
				commentChar: '#'
			})
		).toEqual([
			['a', 'b'],
			['"x" y', '"z'],
			['1', '2']
		]);
	});

	it('skipInitialSpace lets a quoted cell follow a space', () => {
		expect(rows('a; b\n1; "2;3"\n', { delimiter: ';', trimStart: true })).toEqual([
			['a', 'b'],
			['1', '2;3']
		]);
	});
});

describe('zip archives', () => {
	it('lists entries from the central directory, whatever the local headers say', () => {
		const path = join(tempDir(), 'a.zip');
		writeFileSync(
			path,
			genesisZip([
				{ name: '61111-0021_1749244794067_de_flat.csv', data: 'a;b\n1;2\n' },
				{ name: 'hinweis.txt', data: 'x', stored: true }
			])
		);
		const fd = openSync(path, 'r');
		try {
			expect(zipEntries(fd).map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
				['61111-0021_1749244794067_de_flat.csv', 8, 8],
				['hinweis.txt', 0, 1]
			]);
		} finally {
			closeSync(fd);
		}
	});
});

function catching(run: () => void): FeedFailure {
	try {
		run();
	} catch (error) {
		if (error instanceof FeedFailure) return error;
		throw error;
	}
	throw new Error('expected a FeedFailure');
}
