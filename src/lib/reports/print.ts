/**
 * The page box of a printed report: A4 portrait, margins, and a footer with the data's "Stand"
 * and "Seite n von m" in the page-margin boxes (Chromium prints them, also to PDF). The rest of
 * the print layout is in the report's components.
 */
export function pageStyle(footer: string): string {
	return `@page {
	size: A4 portrait;
	margin: 18mm 16mm 20mm 20mm;
	@bottom-left {
		content: ${cssString(footer)};
		font: 8pt system-ui, 'Liberation Sans', sans-serif;
		color: #333;
	}
	@bottom-right {
		content: "Seite " counter(page) " von " counter(pages);
		font: 8pt system-ui, 'Liberation Sans', sans-serif;
		color: #333;
	}
}`;
}

/** A CSS string literal: quotes, backslashes and line breaks escaped, so text cannot end it. */
export function cssString(text: string): string {
	return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}
