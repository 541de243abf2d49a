import { tick } from 'svelte';
import { api, userMessageOf } from '$lib/sync/trpc-transport';
import type { UserAccess, UserListItem } from '#shared/accounts';
import type { Area } from '#shared/catalogue';
import {
	actionMessage,
	EMPTY_NEW_USER,
	filterUsers,
	firstErrorField,
	newUserDraft,
	sortUsers,
	type NewUserInputs,
	type UserAction,
	type UserAnswer
} from './users-view';

/**
 * The admin page "Benutzer und Rechte": the accounts, the search, the form for a new person and
 * the actions on an account, each answered with a message (a failed call is a message beside
 * the form, never a throw). The page shows it; `focus` moves the focus where the person's
 * attention goes next.
 */
export class UserAdmin {
	users = $state<UserListItem[] | null>(null);
	status = $state('');
	query = $state('');
	creating = $state(false);
	newUser = $state<NewUserInputs>({ ...EMPTY_NEW_USER, areas: [] });
	newErrors = $state<Record<string, string>>({});
	newBusy = $state(false);
	/** The catalogue's areas (from the device), for the areas' titles in lists and messages. */
	areas = $state<Area[]>([]);

	constructor(private readonly focus: (id: string) => void) {}

	get shown(): UserListItem[] {
		return filterUsers(this.users ? sortUsers(this.users) : [], this.query, this.areas);
	}

	async load(): Promise<void> {
		this.users = await api.users.list.query();
	}

	private replace(user: UserListItem) {
		this.users = (this.users ?? []).map((u) => (u.id === user.id ? user : u));
	}

	private async send<A extends UserAnswer>(
		call: () => Promise<A>,
		message: (answer: Extract<A, { ok: true }>) => UserAction
	): Promise<UserAnswer> {
		this.status = '';
		try {
			const answer = await call();
			if (answer.ok) {
				this.replace(answer.user);
				this.status = actionMessage(message(answer as Extract<A, { ok: true }>), this.areas);
			}
			return answer;
		} catch (error) {
			return { ok: false, fieldErrors: { _form: userMessageOf(error) } };
		}
	}

	setAccess = (user: UserListItem, draft: UserAccess) =>
		this.send(
			() => api.users.setAccess.mutate({ userId: user.id, ...draft }),
			(answer) => ({ kind: 'access', user: answer.user })
		);

	setDisabled = (user: UserListItem, disabled: boolean) =>
		this.send(
			() => api.users.setDisabled.mutate({ userId: user.id, disabled }),
			(answer) =>
				disabled
					? { kind: 'disabled', user: answer.user, endedSessions: answer.endedSessions }
					: { kind: 'enabled', user: answer.user }
		);

	resetPassword = (user: UserListItem, password: string) =>
		this.send(
			() => api.users.resetPassword.mutate({ userId: user.id, password }),
			(answer) => ({ kind: 'password', user: answer.user, endedSessions: answer.endedSessions })
		);

	endSessions = (user: UserListItem) =>
		this.send(
			() => api.users.endSessions.mutate({ userId: user.id }),
			(answer) => ({ kind: 'sessions', user: answer.user, ended: answer.ended })
		);

	openNew = async (): Promise<void> => {
		this.creating = !this.creating;
		this.newErrors = {};
		await tick();
		this.focus(this.creating ? 'neu-username' : 'neu-oeffnen');
	};

	closeNew = async (): Promise<void> => {
		this.creating = false;
		this.newErrors = {};
		await tick();
		this.focus('neu-oeffnen');
	};

	private async showNewErrors() {
		await tick();
		const field = firstErrorField(this.newErrors);
		this.focus(field ? `neu-${field}` : 'neu-oeffnen');
	}

	/** Creates the account; the new card gets the focus, with the search cleared so it shows. */
	create = async (): Promise<void> => {
		if (this.newBusy) return;
		const draft = newUserDraft(this.newUser);
		if (!draft.ok) {
			this.newErrors = draft.fieldErrors;
			await this.showNewErrors();
			return;
		}
		this.newBusy = true;
		this.status = '';
		try {
			const answer = await api.users.create.mutate(draft.draft);
			if (!answer.ok) {
				this.newErrors = answer.fieldErrors;
				await this.showNewErrors();
				return;
			}
			this.users = [...(this.users ?? []), answer.user];
			this.newUser = { ...EMPTY_NEW_USER, areas: [] };
			this.newErrors = {};
			this.creating = false;
			this.query = '';
			this.status = actionMessage({ kind: 'created', user: answer.user }, this.areas);
			await tick();
			this.focus(`benutzer-${answer.user.id}-name`);
		} catch (error) {
			this.newErrors = { _form: userMessageOf(error) };
			await this.showNewErrors();
		} finally {
			this.newBusy = false;
		}
	};
}
