import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject()
			);
		});
	});
}

/**
 * The built app (`npm start`) on its own port and its own seeded SQLite file, as a person
 * would run it. Tests read the same file to check what the server holds.
 */
export class AppServer {
	private process: ChildProcess | null = null;
	readonly dir = mkdtempSync(join(tmpdir(), 'klar-e2e-'));
	readonly dbFile = join(this.dir, 'klar.db');
	port = 0;

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/**
	 * The origin the app is told it has. https here stands for a reverse proxy that terminates
	 * TLS in front of node, as a city's data centre runs it; the test still talks plain http.
	 */
	origin: string | null = null;

	/** The folder of the built app that `start` serves. */
	buildDir = 'build';

	/** More environment for the server process (a smaller upload limit, …). */
	env: Record<string, string> = {};

	static async startSeeded(
		options: { httpsOrigin?: boolean; env?: Record<string, string> } = {}
	): Promise<AppServer> {
		const server = new AppServer();
		server.env = options.env ?? {};
		const db = openDatabase(server.dbFile);
		await seedDemo(db, new Date());
		db.$client.close();
		server.port = await freePort();
		if (options.httpsOrigin) server.origin = `https://127.0.0.1:${server.port}`;
		await server.start();
		return server;
	}

	/** A new installation: the migrated database without demo data, no user, no catalogue. */
	static async startEmpty(): Promise<AppServer> {
		const server = new AppServer();
		openDatabase(server.dbFile).$client.close();
		server.port = await freePort();
		await server.start();
		return server;
	}

	/** Runs `npm run <script> -- <args>` on this server's database, as an admin at the console. */
	npmRun(script: string, args: string[], input = ''): { status: number; output: string } {
		const result = spawnSync('npm', ['run', '-s', script, '--', ...args], {
			env: { ...process.env, KLAR_DB: this.dbFile },
			input,
			encoding: 'utf8'
		});
		return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
	}

	async start(): Promise<void> {
		// As `npm start` runs it: the built handler behind serve.js, which adds the security headers.
		const child = spawn(process.execPath, ['server/http/serve.js'], {
			env: {
				...process.env,
				KLAR_BUILD_DIR: this.buildDir,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.origin ?? this.url,
				KLAR_DB: this.dbFile,
				// As `npm start` sets it: above the feed upload limit, so that one answers in German.
				BODY_SIZE_LIMIT: '25M',
				...this.env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.process = child;
		let output = '';
		child.stdout?.on('data', (d) => (output += d));
		child.stderr?.on('data', (d) => (output += d));
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`Server exited: ${output}`);
			try {
				const response = await fetch(this.url);
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`Server did not start: ${output}`);
	}

	async stop(): Promise<void> {
		const child = this.process;
		if (!child || child.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
		this.process = null;
	}

	/** Reads the server's database directly, read-only. */
	query<T>(sql: string, ...params: unknown[]): T[] {
		const db = new Database(this.dbFile, { readonly: true, fileMustExist: true });
		try {
			return db.prepare(sql).all(...params) as T[];
		} finally {
			db.close();
		}
	}

	async dispose(): Promise<void> {
		await this.stop();
		rmSync(this.dir, { recursive: true, force: true });
	}
}
