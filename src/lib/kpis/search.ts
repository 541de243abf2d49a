import { type KpiDefinition } from '#shared/catalogue';

const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

function stripMarks(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * Spellings of a text to match against: lower case with umlauts written out (ä → ae, ß → ss),
 * and with the diacritics simply dropped (ä → a), because people type both on a phone keyboard
 * without umlauts. Whitespace is collapsed.
 */
export function searchVariants(text: string): string[] {
	// NFC first, so an ä typed as a + combining diaeresis is transliterated too.
	const base = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
	const written = stripMarks(base.replace(/[äöüß]/g, (c) => TRANSLITERATION[c]!));
	const stripped = stripMarks(base.replace(/ß/g, 'ss'));
	return written === stripped ? [written] : [written, stripped];
}

/**
 * The words of a query, each as its spellings (see searchVariants). A token without a letter or
 * digit ("&" or "–" alone) would match almost nothing or everything, so it is left out.
 */
export function searchTokens(query: string): string[][] {
	return query
		.split(/\s+/)
		.filter((token) => /[\p{L}\p{N}]/u.test(token))
		.map(searchVariants);
}

/** Whether one of the texts (already as search variants) holds the token, as part of a word. */
export function holdsToken(texts: readonly string[], token: readonly string[]): boolean {
	return texts.some((text) => token.some((variant) => text.includes(variant)));
}

export type SearchField = 'title' | 'tags' | 'area' | 'description';

export interface SearchHit {
	definition: KpiDefinition;
	/** Higher is better: tokens found in the title outweigh any number found in the tags, etc. */
	score: number;
	matchedIn: SearchField[];
}

const FIELDS: SearchField[] = ['title', 'tags', 'area', 'description'];
const WEIGHTS: Record<SearchField, number> = { title: 1000, tags: 100, area: 10, description: 1 };

const collator = new Intl.Collator('de-DE');

/**
 * Offline search over the catalogue. Every word of the query must occur (as part of a word) in
 * the title, tags, area or description/method; hits are ranked by where their words occur, then
 * by the catalogue order.
 */
export function searchCatalogue(
	catalogue: KpiDefinition[],
	query: string,
	areaTitles: Readonly<Record<string, string>>
): SearchHit[] {
	const tokens = searchTokens(query);
	if (tokens.length === 0) return [];

	const hits: SearchHit[] = [];
	for (const definition of catalogue) {
		const fields: Record<SearchField, string[]> = {
			title: [definition.title, definition.shortTitle].flatMap(searchVariants),
			tags: definition.tags.flatMap(searchVariants),
			area: searchVariants(areaTitles[definition.areaId] ?? definition.areaId),
			description: [definition.description, definition.method].flatMap(searchVariants)
		};
		const matched = new Set<SearchField>();
		let score = 0;
		let all = true;
		for (const variants of tokens) {
			const found = FIELDS.filter((field) => holdsToken(fields[field], variants));
			if (found.length === 0) {
				all = false;
				break;
			}
			found.forEach((field) => matched.add(field));
			score += WEIGHTS[found[0]!];
		}
		if (all) hits.push({ definition, score, matchedIn: FIELDS.filter((f) => matched.has(f)) });
	}
	return hits.sort(
		(a, b) =>
			b.score - a.score ||
			a.definition.sortOrder - b.definition.sortOrder ||
			collator.compare(a.definition.title, b.definition.title)
	);
}
