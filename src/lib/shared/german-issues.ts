/**
 * German messages for zod's own checks, for people who write definitions and catalogue files:
 * zod's default text is English. Pass per parse (`schema.safeParse(data, { error: germanIssue })`);
 * messages a schema states itself take precedence.
 */

const TYPE_WORDS: Record<string, string> = {
	string: 'ein Text in Anführungszeichen',
	number: 'eine Zahl',
	int: 'eine ganze Zahl',
	boolean: 'true oder false',
	object: 'ein Objekt { … }',
	record: 'ein Objekt { … }',
	array: 'eine Liste [ … ]'
};

const given = (input: unknown): string => {
	if (input === null) return 'null';
	if (Array.isArray(input)) return 'eine Liste';
	switch (typeof input) {
		case 'string':
			return 'ein Text';
		case 'number':
			return 'eine Zahl';
		case 'boolean':
			return input ? 'true' : 'false';
		case 'object':
			return 'ein Objekt';
		default:
			return typeof input;
	}
};

const listed = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

export function germanIssue(issue: {
	code?: string;
	input?: unknown;
	[key: string]: unknown;
}): string {
	const detail = issue as Record<string, unknown>;
	switch (issue.code) {
		case 'invalid_type': {
			const expected = TYPE_WORDS[String(detail.expected)] ?? String(detail.expected);
			return issue.input === undefined
				? `Angabe fehlt (erwartet: ${expected}).`
				: `Erwartet ${expected}, angegeben ist ${given(issue.input)}.`;
		}
		case 'invalid_value': {
			const values = (detail.values as unknown[]) ?? [];
			return values.length === 1
				? `Erwartet ${JSON.stringify(values[0])}.`
				: `Erlaubt sind ${listed(values)}.`;
		}
		case 'unrecognized_keys': {
			const keys = (detail.keys as string[]) ?? [];
			return keys.length === 1
				? `Das Feld „${keys[0]}“ kennt KLAR hier nicht.`
				: `Die Felder ${keys.map((k) => `„${k}“`).join(', ')} kennt KLAR hier nicht.`;
		}
		case 'invalid_union': {
			const options = detail.options as unknown[] | undefined;
			return options?.length
				? `Erlaubt sind ${listed(options)}.`
				: 'Die Angabe passt zu keiner der erlaubten Formen.';
		}
		case 'too_small':
		case 'too_big': {
			const small = issue.code === 'too_small';
			const limit = Number(small ? detail.minimum : detail.maximum);
			const inclusive = detail.inclusive !== false;
			switch (detail.origin) {
				case 'string':
					return small && limit === 1
						? 'Darf nicht leer sein.'
						: `${small ? 'Mindestens' : 'Höchstens'} ${limit} Zeichen.`;
				case 'array':
				case 'set':
					return small && limit === 1
						? 'Die Liste darf nicht leer sein.'
						: `${small ? 'Mindestens' : 'Höchstens'} ${limit} Einträge.`;
				default:
					return inclusive
						? `Die Zahl muss ${small ? 'mindestens' : 'höchstens'} ${limit} sein.`
						: `Die Zahl muss ${small ? 'größer' : 'kleiner'} als ${limit} sein.`;
			}
		}
		case 'invalid_format':
			return detail.format === 'email'
				? 'Keine gültige E-Mail-Adresse.'
				: 'Die Angabe hat nicht die erwartete Form.';
		case 'not_multiple_of':
			return `Erwartet ein Vielfaches von ${String(detail.divisor)}.`;
		default:
			return 'Die Angabe ist ungültig.';
	}
}
