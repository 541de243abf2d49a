import { z } from 'zod';

/**
 * The server's view of a cursor. To the client it is an opaque string. It names the database
 * epoch; `upTo`, the change-log sequence up to which the device has every entity; `head`, the
 * head of the history that claim was made against, with `headCheck`, the random nonce of that
 * change-log row; and whom it was issued to (`userId`) with which read scope (`scope`). A
 * page's claim depends on the history up to `head` (an entity whose latest change lies beyond
 * `upTo` is sent later, its older changes with it), so a database restored from a backup older
 * than `head` must answer "reset" – which the nonce check ensures even after new changes have
 * pushed the restored sequence past `head` again.
 */
export interface Cursor {
	epoch: string;
	upTo: number;
	head: number;
	headCheck: string;
	userId: string;
	scope: string;
}

/** A point in the server's history: the change-log position after a push, with its row check. */
export interface Witness {
	epoch: string;
	seq: number;
	check: string;
}

// On the wire the fields have one-letter keys: a cursor travels in every pull's URL.
const sequence = z.number().int().min(0);
const CursorWireV1 = z.object({
	v: z.literal(1),
	e: z.string(),
	s: sequence,
	t: sequence,
	h: z.string(),
	u: z.string(),
	p: z.string()
});
const WitnessWireV1 = z.object({ v: z.literal(1), e: z.string(), s: sequence, h: z.string() });

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

export function encodeCursor(cursor: Cursor): string {
	return encodeToken({
		e: cursor.epoch,
		s: cursor.upTo,
		t: cursor.head,
		h: cursor.headCheck,
		u: cursor.userId,
		p: cursor.scope
	});
}

export function decodeCursor(value: string): Cursor | null {
	const wire = decodeToken(CursorWireV1, value);
	return (
		wire && {
			epoch: wire.e,
			upTo: wire.s,
			head: wire.t,
			headCheck: wire.h,
			userId: wire.u,
			scope: wire.p
		}
	);
}

export function encodeWitness(witness: Witness): string {
	return encodeToken({ e: witness.epoch, s: witness.seq, h: witness.check });
}

export function decodeWitness(value: string): Witness | null {
	const wire = decodeToken(WitnessWireV1, value);
	return wire && { epoch: wire.e, seq: wire.s, check: wire.h };
}
