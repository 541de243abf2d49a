import { z } from 'zod';

/**
 * The server's view of a cursor. To the client it is an opaque string; it names the database
 * epoch, the last change-log sequence delivered with a check of that change-log row, and whom it
 * was issued to with which read scope. The row check catches a database restored from an older
 * backup even after new changes have pushed its sequence past the cursor again.
 */
const CursorV1 = z.object({
	v: z.literal(1),
	e: z.string(),
	s: z.number().int().min(0),
	h: z.string(),
	u: z.string(),
	p: z.string()
});
export type Cursor = z.infer<typeof CursorV1>;

export function encodeCursor(cursor: Omit<Cursor, 'v'>): string {
	return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString('base64url');
}

export function decodeCursor(value: string): Cursor | null {
	try {
		const parsed = CursorV1.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
