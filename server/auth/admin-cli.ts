import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { databaseFile, openDatabase } from '#server/db/connection';
import { systemClock } from '#server/clock';
import { createUser } from './users';

const USAGE =
	'Usage: npm run admin -- create <username> [--name "Display name"]\n' +
	'The password is typed twice without echo, or read from the first line of standard input.';

/** A terminal whose echo can be switched off while a password is typed. */
function silentTerminal() {
	let muted = false;
	const output = new Writable({
		write(chunk: Buffer, _encoding, done) {
			if (!muted) process.stdout.write(chunk);
			done();
		}
	});
	const rl = createInterface({ input: process.stdin, output, terminal: true });
	const ask = (prompt: string) =>
		new Promise<string>((resolve) => {
			process.stdout.write(prompt);
			muted = true;
			rl.question('', (answer) => {
				muted = false;
				process.stdout.write('\n');
				resolve(answer);
			});
		});
	return { ask, close: () => rl.close() };
}

async function firstLineOfStdin(): Promise<string> {
	const rl = createInterface({ input: process.stdin, terminal: false });
	for await (const line of rl) {
		rl.close();
		return line;
	}
	return '';
}

/** The password: typed twice without echo on a terminal, else the first line of stdin. */
async function readPassword(): Promise<string | null> {
	if (!process.stdin.isTTY) return firstLineOfStdin();
	const terminal = silentTerminal();
	try {
		const first = await terminal.ask('Passwort: ');
		const second = await terminal.ask('Passwort wiederholen: ');
		if (first !== second) {
			console.error('Die beiden Eingaben stimmen nicht überein. Es wurde nichts angelegt.');
			return null;
		}
		return first;
	} finally {
		terminal.close();
	}
}

/**
 * `npm run admin -- create <username>` creates an administrator (role Zentralcontrolling): the
 * first account of a new installation, without demo data. Refused when the user name is taken.
 * Exit code 0 when created, 1 when refused, 2 for a wrong call.
 */
export async function main(
	argv: readonly string[],
	password: () => Promise<string | null> = readPassword
): Promise<number> {
	const [command, username, ...rest] = argv;
	const nameAt = rest.indexOf('--name');
	const displayName = nameAt === -1 ? username : rest[nameAt + 1];
	if (command !== 'create' || !username || !displayName || (rest.length && nameAt !== 0)) {
		console.error(USAGE);
		return 2;
	}
	const db = openDatabase(databaseFile());
	try {
		const taken = db.$client
			.prepare('select 1 from users where username = ?')
			.get(username.trim().toLowerCase());
		if (taken) {
			console.error(`Den Benutzernamen „${username}“ gibt es schon. Es wurde nichts angelegt.`);
			return 1;
		}
		const secret = await password();
		if (secret === null) return 1;
		const answer = await createUser(
			db,
			null,
			{ username, displayName, password: secret, role: 'admin', areas: [] },
			systemClock()
		);
		if (!answer.ok) {
			for (const [field, message] of Object.entries(answer.fieldErrors)) {
				console.error(`${field === '_form' ? '' : `${field}: `}${message}`);
			}
			console.error('Es wurde nichts angelegt.');
			return 1;
		}
		console.log(
			`Administrator „${answer.user.username}“ angelegt. Anmelden unter /login mit diesem Namen und dem Passwort.`
		);
		return 0;
	} finally {
		db.$client.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	process.exitCode = await main(process.argv.slice(2));
}
