/**
 * A leading = + - @ (or TAB/CR) makes Excel evaluate a cell as a formula (CSV injection): such
 * text gets a leading apostrophe. Every CSV KLAR writes – the phone's downloads, the demo's
 * export files, open data – passes its text cells through this.
 */
export function neutraliseFormula(text: string): string {
	return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
