import { z } from 'zod';

/**
 * Characters no one types on purpose into a name or a note, refused in every free-text field:
 * control characters (NUL shows as a box and goes raw into CSV) and the bidirectional
 * overrides, embeddings and isolates, which make "Heim \u202Egnp.exe\u202C" read as
 * "Heim exe.png" on every list that shows it. Tab and line break are allowed only where a
 * field has several lines.
 */
/* eslint-disable no-control-regex -- finding control characters is the point */
const UNSAFE_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const UNSAFE_MULTI_LINE =
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
/* eslint-enable no-control-regex */

export const UNSAFE_TEXT_MESSAGE =
	'Der Text enthält unsichtbare Steuer- oder Richtungszeichen (oft aus kopiertem Text). Bitte neu eintippen.';

/** Whether the text holds a character refused in free text. */
export function hasUnsafeCharacters(text: string, multiline = false): boolean {
	return (multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).test(text);
}

/** A string schema that refuses control and bidi-override characters with a German message. */
export function safeText(options: { multiline?: boolean; error?: string } = {}) {
	return z
		.string(options.error ? { error: options.error } : undefined)
		.refine((text) => !hasUnsafeCharacters(text, options.multiline), UNSAFE_TEXT_MESSAGE);
}
