import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of each page of a PDF, as a reader's copy-and-paste would give it: runs of white
 * space (and the no-break spaces between a number and its unit) as one space.
 */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
	const document = await getDocument({
		data: new Uint8Array(bytes),
		isEvalSupported: false,
		disableFontFace: true,
		verbosity: 0
	}).promise;
	try {
		const pages: string[] = [];
		for (let number = 1; number <= document.numPages; number++) {
			const page = await document.getPage(number);
			const content = await page.getTextContent();
			const text = content.items
				.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
				.join('');
			pages.push(squash(text));
		}
		return pages;
	} finally {
		await document.destroy();
	}
}

/** Text as compared with a PDF's: white space and no-break spaces squashed to one space. */
export function squash(text: string): string {
	return text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
