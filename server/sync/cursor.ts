import { z } from 'zod';

/**
 * The server's view of a cursor. To the client it is an opaque string. It names the database
 * epoch; `s`, the change-log sequence up to which the device has every entity; `t`, the head of
 * the history that claim was made against, with `h`, the random nonce of that change-log row;
 * and whom it was issued to with which read scope. A page's claim depends on the history up to
 * `t` (an entity whose latest change lies beyond `s` is sent later, its older changes with it),
 * so a database restored from a backup older than `t` must answer "reset" – which the nonce
 * check ensures even after new changes have pushed the restored sequence past `t` again.
 */
const CursorV1 = z.object({
	v: z.literal(1),
	e: z.string(),
	s: z.number().int().min(0),
	t: z.number().int().min(0),
	h: z.string(),
	u: z.string(),
	p: z.string()
});
export type Cursor = z.infer<typeof CursorV1>;

/** Cursors and witnesses travel as base64url JSON with a version field. */
function encodeToken(value: object): string {
	return Buffer.from(JSON.stringify({ v: 1, ...value })).toString('base64url');
}

function decodeToken<S extends z.ZodType>(schema: S, value: string): z.infer<S> | null {
	try {
		const parsed = schema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

export function encodeCursor(cursor: Omit<Cursor, 'v'>): string {
	return encodeToken(cursor);
}

export function decodeCursor(value: string): Cursor | null {
	return decodeToken(CursorV1, value);
}

/** A point in the server's history: the change-log position after a push, with its row check. */
const WitnessV1 = z.object({
	v: z.literal(1),
	e: z.string(),
	s: z.number().int().min(0),
	h: z.string()
});
export type Witness = z.infer<typeof WitnessV1>;

export function encodeWitness(witness: Omit<Witness, 'v'>): string {
	return encodeToken(witness);
}

export function decodeWitness(value: string): Witness | null {
	return decodeToken(WitnessV1, value);
}
