import { z } from 'zod';
import { AreaId } from './areas';
import { Role, ROLE_RULES } from './permissions';
import type { FieldErrors } from './field-errors';
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from './text';

/**
 * User accounts as the admin page maintains them: the shapes sent to the server, the German
 * validation both sides run, and the session facts a device needs to wipe itself in time.
 */

/** ASVS 5.0 V6.2.1: at least 12 characters; no composition rules, long passphrases welcome. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export const NewPassword = z
	.string({ error: 'Bitte ein Passwort angeben.' })
	.min(
		MIN_PASSWORD_LENGTH,
		`Das Passwort muss mindestens ${MIN_PASSWORD_LENGTH} Zeichen lang sein.`
	)
	.max(
		MAX_PASSWORD_LENGTH,
		`Das Passwort darf höchstens ${MAX_PASSWORD_LENGTH} Zeichen lang sein.`
	);

export const Username = z
	.string({ error: 'Bitte einen Benutzernamen angeben.' })
	.trim()
	.toLowerCase()
	.min(2, 'Der Benutzername muss mindestens 2 Zeichen lang sein.')
	.max(64, 'Der Benutzername darf höchstens 64 Zeichen lang sein.')
	.regex(
		/^[a-z0-9][a-z0-9._-]*$/,
		'Der Benutzername darf nur Kleinbuchstaben, Ziffern, Punkt, Binde- und Unterstrich enthalten.'
	);

export const DisplayName = z
	.string({ error: 'Bitte einen Namen angeben.' })
	.overwrite((name) => name.replace(/\s+/g, ' ').trim())
	.refine((name) => !hasUnsafeCharacters(name), UNSAFE_TEXT_MESSAGE)
	.min(2, 'Der Name muss mindestens 2 Zeichen lang sein.')
	.max(80, 'Der Name darf höchstens 80 Zeichen lang sein.');

/** Whether a role is scoped to areas (editor, lead) or reads everywhere without areas. */
export function roleIsScoped(role: Role): boolean {
	const rules = ROLE_RULES[role];
	return rules.readInOwnAreas.length > 0 || rules.writeForms === 'own-areas';
}

const accessShape = {
	role: Role,
	// An area named twice is one area: stored once, as the role rules read it.
	areas: z
		.array(AreaId)
		.max(100, 'Höchstens 100 Bereiche.')
		.overwrite((areas) => [...new Set(areas)])
};

/** Role and areas together: scoped roles need at least one area, the others none. */
function checkAccess(access: { role: Role; areas: AreaId[] }, ctx: z.RefinementCtx): void {
	if (roleIsScoped(access.role) && access.areas.length === 0) {
		ctx.addIssue({
			code: 'custom',
			path: ['areas'],
			message: 'Bitte mindestens einen Bereich wählen: die Rolle gilt nur für ihre Bereiche.'
		});
	}
	if (!roleIsScoped(access.role) && access.areas.length > 0) {
		ctx.addIssue({
			code: 'custom',
			path: ['areas'],
			message: 'Diese Rolle gilt für alle Bereiche; bitte keine Bereiche wählen.'
		});
	}
}

export const UserAccessV1 = z.object(accessShape).superRefine(checkAccess);
export type UserAccess = z.infer<typeof UserAccessV1>;

/** A new account. */
export const NewUserV1 = z
	.object({
		username: Username,
		displayName: DisplayName,
		password: NewPassword,
		...accessShape
	})
	.superRefine(checkAccess);
export type NewUser = z.infer<typeof NewUserV1>;

export const UserId = z.string().min(1).max(100);

export const SetAccessInputV1 = z
	.object({ userId: UserId, ...accessShape })
	.superRefine(checkAccess);
export const SetDisabledInputV1 = z.object({ userId: UserId, disabled: z.boolean() });
export const ResetPasswordInputV1 = z.object({ userId: UserId, password: NewPassword });
export const EndSessionsInputV1 = z.object({ userId: UserId });

/** One row of the admin's user list. Never the password hash. */
export const UserListItemV1 = z.object({
	id: z.string(),
	username: z.string(),
	displayName: z.string(),
	role: Role,
	areas: z.array(AreaId),
	disabled: z.boolean(),
	createdAt: z.string(),
	lastLoginAt: z.string().nullable(),
	/** Sessions that have not expired. */
	activeSessions: z.number().int().min(0)
});
export type UserListItem = z.infer<typeof UserListItemV1>;

/** A refused change is an answer with a message per field, shown beside the field. */
export type AccountResult<T> = ({ ok: true } & T) | { ok: false; fieldErrors: FieldErrors };

/**
 * What a device needs to know about its session to wipe itself when the server would no longer
 * accept it, even without network: the absolute end, and the inactivity limit measured from the
 * last time the server answered.
 */
export const SessionInfoV1 = z.object({
	/** ISO instant after which the session is over however active it was. */
	endsAt: z.string(),
	/** Inactivity timeout in minutes. */
	idleMinutes: z.number().int().positive()
});
export type SessionInfo = z.infer<typeof SessionInfoV1>;

/** Whether a device's session is over: past its absolute end or idle longer than allowed. */
export function deviceSessionExpired(
	session: SessionInfo,
	lastServerContact: Date,
	now: Date
): boolean {
	if (now.getTime() >= new Date(session.endsAt).getTime()) return true;
	return now.getTime() - lastServerContact.getTime() >= session.idleMinutes * 60_000;
}
