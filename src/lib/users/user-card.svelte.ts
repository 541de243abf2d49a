import { tick } from 'svelte';
import type { Role } from '#shared/permissions';
import type { UserAccess, UserListItem } from '#shared/accounts';
import type { FieldErrors } from '#shared/field-errors';
import { accessChanged, accessDraft, passwordError, type UserAnswer } from './users-view';

export type CardPart = 'access' | 'password' | 'sessions' | 'disable';

/** What the admin does to one account, answered by the page's actions. */
export interface AccountActions {
	onaccess: (user: UserListItem, access: UserAccess) => Promise<UserAnswer>;
	ondisable: (user: UserListItem, disabled: boolean) => Promise<UserAnswer>;
	onpassword: (user: UserListItem, password: string) => Promise<UserAnswer>;
	onendsessions: (user: UserListItem) => Promise<UserAnswer>;
}

const noErrors = (): Record<CardPart, FieldErrors> => ({
	access: {},
	password: {},
	sessions: {},
	disable: {}
});

/**
 * The open "Verwalten" panel of one account: the drafts of its four parts (access, password,
 * sessions, disabling), one action at a time, and where the focus goes after each. The card's
 * parts show it; the answers come from the page's actions.
 */
export class UserCardState {
	expanded = $state(false);
	role = $state<Role | ''>('');
	areas = $state<string[]>([]);
	password = $state('');
	confirming = $state(false);
	busy = $state<CardPart | null>(null);
	errors = $state<Record<CardPart, FieldErrors>>(noErrors());
	noChange = $state(false);

	constructor(
		private readonly user: () => UserListItem,
		private readonly actions: () => AccountActions
	) {}

	/** Ids of the card's elements start with this. */
	get base(): string {
		return `benutzer-${this.user().id}`;
	}

	/** Focus, and scroll the field with its label clear of the sticky header. */
	focus(id: string): void {
		const element = document.getElementById(id);
		if (!element) return;
		element.focus({ preventScroll: true });
		(element.closest('.field, fieldset, section') ?? element).scrollIntoView({ block: 'nearest' });
	}

	toggle = async (): Promise<void> => {
		this.expanded = !this.expanded;
		if (!this.expanded) return;
		const user = this.user();
		this.role = user.role;
		this.areas = [...user.areas];
		this.password = '';
		this.confirming = false;
		this.noChange = false;
		this.errors = noErrors();
		await tick();
		this.focus(`${this.base}-role`);
	};

	/** Sends an action; on success `done` closes what it opened before the focus moves. */
	run = async (
		part: CardPart,
		action: () => Promise<UserAnswer>,
		focusAfter: string,
		done: () => void = () => {}
	): Promise<boolean> => {
		if (this.busy) return false;
		this.busy = part;
		this.errors[part] = {};
		let answer: UserAnswer;
		try {
			answer = await action();
		} finally {
			// Before focusing: a disabled button does not take the focus.
			this.busy = null;
		}
		if (!answer.ok) {
			const errors = answer.fieldErrors;
			this.errors[part] = errors;
			await tick();
			const field = ['role', 'areas', 'password'].find((f) => errors[f]);
			this.focus(field ? `${this.base}-${field}` : `${this.base}-${part}-error`);
			return false;
		}
		done();
		await tick();
		this.focus(focusAfter);
		return true;
	};

	saveAccess = async (event: SubmitEvent): Promise<void> => {
		event.preventDefault();
		this.noChange = false;
		if (this.role === '') return;
		const draft = accessDraft(this.role, this.areas);
		if (!draft.ok) {
			this.errors.access = draft.fieldErrors;
			await tick();
			this.focus(`${this.base}-${draft.fieldErrors.role ? 'role' : 'areas'}`);
			return;
		}
		const user = this.user();
		if (!accessChanged(user, draft.draft)) {
			this.errors.access = {};
			this.noChange = true;
			return;
		}
		await this.run(
			'access',
			() => this.actions().onaccess(user, draft.draft),
			`${this.base}-access-save`
		);
	};

	resetPassword = async (event: SubmitEvent): Promise<void> => {
		event.preventDefault();
		const invalid = passwordError(this.password);
		if (invalid) {
			this.errors.password = { password: invalid };
			await tick();
			this.focus(`${this.base}-password`);
			return;
		}
		const password = this.password;
		await this.run(
			'password',
			() => this.actions().onpassword(this.user(), password),
			`${this.base}-password-save`,
			() => {
				this.password = '';
			}
		);
	};

	endSessions = async (): Promise<void> => {
		await this.run(
			'sessions',
			() => this.actions().onendsessions(this.user()),
			`${this.base}-sessions`
		);
	};

	askDisable = async (): Promise<void> => {
		this.confirming = true;
		this.errors.disable = {};
		await tick();
		this.focus(`${this.base}-disable-confirm`);
	};

	cancelDisable = async (): Promise<void> => {
		this.confirming = false;
		await tick();
		this.focus(`${this.base}-disable`);
	};

	confirmDisable = async (): Promise<void> => {
		const user = this.user();
		await this.run(
			'disable',
			() => this.actions().ondisable(user, !user.disabled),
			`${this.base}-disable`,
			() => {
				this.confirming = false;
			}
		);
	};
}
