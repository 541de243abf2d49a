/**
 * Deterministic fault injection against the real server code: simulated phones with their own
 * Dexie databases (fake-indexeddb) talk to the real tRPC router on a real SQLite file through a
 * transport that drops requests, drops responses after the server committed, duplicates, delays
 * and reorders pushes; the server restarts and is restored from an older backup; feeds change
 * snapshots; permissions and KPI visibilities change. After a healing phase without faults the
 * invariants of offline sync (every acknowledged entry stored once, every device holding exactly
 * its scope) are checked.
 */
import { type KpiDefinition } from '#shared/catalogue';
import 'fake-indexeddb/auto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { openDatabase, type KlarDatabase as ServerDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { FACILITIES } from '#server/db/demo/city';
import { createSession, principalForToken } from '#server/auth/sessions';
import { setUserAccess } from '#server/auth/users';
import { setKpiVisibility } from '#server/kpis/catalogue';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { upsertObservation } from '#server/entries/observations';
import { changeLogHead, pull as serverPull } from '#server/sync/pull';
import { createCaller } from '#server/trpc/router';
import { seededRandom } from '#server/db/demo/random';
import { KlarDatabase } from '../../src/lib/sync/db';
import { SyncEngine } from '../../src/lib/sync/engine';
import { enqueueEntry } from '../../src/lib/sync/outbox';
import { rememberLogin } from '../../src/lib/sync/session';
import {
	NetworkError,
	SessionExpiredError,
	type SyncTransport
} from '../../src/lib/sync/transport';
import { occupancyForm } from '#shared/forms/index';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { dimensionKeyOf } from '#server/kpis/aggregate';
import { shiftPeriod, toIsoDate } from '#shared/periods';
import { canRead } from '#shared/permissions';
import { SYNC_SCHEMA_VERSION, type PullRequestV1, type PushRequestV1 } from '#shared/protocol';
import type { Visibility } from '#shared/kpi';
import { systemClock } from '#server/clock';

export interface SimulationOptions {
	seed: number;
	steps?: number;
	log?: (line: string) => void;
}

/** What went wrong, by the invariant it breaks. */
export interface Failure {
	kind: 'lost' | 'duplicated' | 'diverged' | 'out of scope' | 'crashed';
	message: string;
}

export interface SimulationResult {
	seed: number;
	failures: Failure[];
	stats: Record<string, number>;
}

type Random = () => number;

/**
 * The phones' code reads the machine's clock (session expiry, drafts), so the simulated server
 * does too, and the database is seeded for the machine's today: both sides see one time.
 */
const CLOCK = systemClock;

const FAULTS = {
	dropRequest: 0.12,
	dropResponse: 0.12,
	duplicate: 0.08,
	delayedCopy: 0.08
};

/** The server process: a SQLite file that can stop, restart and be restored from a backup. */
class SimServer {
	db: ServerDatabase | null;
	readonly backupFile: string;
	hasBackup = false;

	constructor(readonly file: string) {
		this.db = openDatabase(file);
		this.backupFile = `${file}.backup`;
	}

	get up(): boolean {
		return this.db !== null;
	}

	stop() {
		this.db?.$client.close();
		this.db = null;
	}

	start() {
		this.db ??= openDatabase(this.file);
	}

	backup() {
		if (!this.db) return;
		rmSync(this.backupFile, { force: true });
		this.db.$client.exec(`VACUUM INTO '${this.backupFile.replaceAll("'", "''")}'`);
		this.hasBackup = true;
	}

	/** Restores the older copy the way an operator would: stop, copy the file back, start. */
	restore() {
		if (!this.hasBackup) return;
		this.stop();
		for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.file}${suffix}`, { force: true });
		copyFileSync(this.backupFile, this.file);
		this.start();
	}

	caller(token: string) {
		const db = this.db!;
		return createCaller({
			db,
			now: CLOCK,
			principal: principalForToken(db, token, CLOCK()),
			sessionToken: token,
			clientAddress: null,
			setSessionCookie: () => {}
		});
	}
}

interface Delayed {
	client: SimClient;
	request: PushRequestV1;
}

class SimClient {
	db: KlarDatabase;
	engine!: SyncEngine;
	token = '';
	needsLogin = false;
	readonly created = new Set<string>();

	constructor(
		readonly sim: Simulation,
		readonly name: string,
		readonly userId: string
	) {
		this.db = new KlarDatabase(name);
		this.makeEngine();
	}

	makeEngine() {
		this.engine = new SyncEngine(this.db, new FaultyTransport(this.sim, this), {
			intervalMs: 3_600_000,
			pageLimit: 4,
			autoRetry: false,
			onSessionExpired: () => {
				this.needsLogin = true;
			}
		});
	}

	async logIn() {
		const server = this.sim.server.db!;
		this.token = createSession(server, this.userId, CLOCK());
		const principal = principalForToken(server, this.token, CLOCK())!;
		await rememberLogin(this.db, { ...principal, writableAreas: principal.areas });
		this.needsLogin = false;
	}

	/** A page reload: everything in memory is gone, IndexedDB stays. */
	async reload() {
		this.engine.stop();
		// Like a closed tab: work still under way on the old page fails instead of reopening it.
		this.db.close({ disableAutoOpen: true });
		this.db = new KlarDatabase(this.name);
		await this.db.open();
		this.makeEngine();
	}
}

class FaultyTransport implements SyncTransport {
	constructor(
		private readonly sim: Simulation,
		private readonly client: SimClient
	) {}

	pull(request: PullRequestV1) {
		return this.call('pull', request);
	}

	push(request: PushRequestV1) {
		return this.call('push', request);
	}

	private async call<K extends 'pull' | 'push'>(
		kind: K,
		request: K extends 'pull' ? PullRequestV1 : PushRequestV1
	) {
		const { sim } = this;
		await sim.ticks();
		if (!sim.server.up || sim.chance(FAULTS.dropRequest)) {
			sim.count('dropped requests');
			throw new NetworkError();
		}
		const deliver = async () => {
			const caller = sim.server.caller(this.client.token);
			try {
				return kind === 'pull'
					? await caller.sync.pull(request as PullRequestV1)
					: await caller.sync.push(request as PushRequestV1);
			} catch (error) {
				if (error instanceof TRPCError && error.code === 'UNAUTHORIZED')
					throw new SessionExpiredError();
				throw error;
			}
		};
		const response = await deliver();
		sim.trace(this.client.name, kind, request, response);
		if (sim.chance(FAULTS.duplicate)) {
			sim.count('duplicated requests');
			await deliver().catch(() => undefined);
		}
		if (kind === 'push' && sim.chance(FAULTS.delayedCopy)) {
			sim.count('delayed copies');
			sim.delayed.push({ client: this.client, request: structuredClone(request as PushRequestV1) });
		}
		await sim.ticks();
		if (!sim.server.up || sim.chance(FAULTS.dropResponse)) {
			sim.count('dropped responses');
			throw new NetworkError();
		}
		return response as never;
	}
}

class Simulation {
	readonly random: Random;
	readonly dir = mkdtempSync(join(tmpdir(), 'klar-faults-'));
	server!: SimServer;
	clients: SimClient[] = [];
	readonly delayed: Delayed[] = [];
	readonly acknowledged = new Map<string, SimClient>();
	readonly stats: Record<string, number> = {};
	faultsOn = true;
	private entryCounter = 0;
	private readonly today = CLOCK();

	constructor(
		readonly seed: number,
		readonly log: (line: string) => void
	) {
		this.random = seededRandom(seed);
	}

	head(): number {
		return changeLogHead(this.server.db!);
	}

	/** One line per delivered request when a replay asks for it (DEBUG_FAULTS=1). */
	trace(client: string, kind: string, request: object, response: unknown) {
		if (!process.env.DEBUG_FAULTS) return;
		const seqOf = (value: unknown) =>
			typeof value === 'string' ? JSON.parse(Buffer.from(value, 'base64url').toString()).s : null;
		const r = response as {
			kind: string;
			reason?: string;
			changes?: unknown[];
			results?: { id: string; result: string }[];
		};
		const sent = request as { cursor?: unknown; witness?: unknown };
		const results = r.results?.map((x) => `${x.id.slice(-4)}:${x.result}`).join(',') ?? '';
		const changes = r.changes ? `${r.changes.length} changes` : '';
		this.log(
			`${client} ${kind} cursor=${seqOf(sent.cursor)} witness=${seqOf(sent.witness)} -> ${r.kind} ${r.reason ?? ''}${changes}${results} head=${this.head()}`
		);
	}

	count(what: string) {
		this.stats[what] = (this.stats[what] ?? 0) + 1;
	}

	chance(p: number): boolean {
		return this.faultsOn && this.random() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.random() * items.length)]!;
	}

	/** Lets other simulated work run in between: a few event-loop turns, chosen by the seed. */
	async ticks() {
		const n = Math.floor(this.random() * 4);
		for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
	}

	async setUp() {
		const file = join(this.dir, 'klar.db');
		const db = openDatabase(file);
		await seedDemo(db, this.today);
		db.$client.close();
		this.server = new SimServer(file);
		const users = [
			['erfassung', 'u-erfassung'],
			['leitung', 'u-leitung'],
			['rat', 'u-rat'],
			['spitze', 'u-spitze']
		] as const;
		this.clients = users.map(
			([name, id]) => new SimClient(this, `faults-${this.seed}-${name}`, id)
		);
		for (const client of this.clients) await client.logIn();
	}

	private entryId(): string {
		const n = (this.entryCounter++).toString(16).padStart(12, '0');
		const s = (this.seed >>> 0).toString(16).padStart(8, '0');
		return `${s}-0000-4000-8000-${n}`;
	}

	private async createEntry(client: SimClient) {
		const facility = this.pick(FACILITIES);
		const unknown = this.random() < 0.05;
		const date = shiftPeriod(toIsoDate(this.today), -1 - Math.floor(this.random() * 20))!;
		const capacity = facility.capacity;
		const entry = await enqueueEntry(
			client.db,
			occupancyForm,
			{
				facilityId: unknown ? 'geschlossen-seit-2020' : facility.id,
				date,
				occupied: Math.floor(this.random() * (capacity + 1)),
				capacity
			},
			client.userId,
			{ id: this.entryId(), createdAt: new Date(this.today.getTime() + this.entryCounter * 1000) }
		);
		client.created.add(entry.id);
		this.count('entries created');
		if (this.random() < 0.5) await this.sync(client);
	}

	private async sync(client: SimClient) {
		if (client.needsLogin) return;
		await client.engine.sync('manual');
		await this.noteAcknowledged(client);
	}

	async noteAcknowledged(client: SimClient) {
		for (const sent of await client.db.sentEntries.toArray())
			this.acknowledged.set(sent.id, client);
	}

	private feedChange() {
		const db = this.server.db;
		if (!db) return;
		const facility = this.pick(FACILITIES);
		const period = shiftPeriod(toIsoDate(this.today), -1 - Math.floor(this.random() * 5))!;
		db.transaction((tx) => {
			const t = tx;
			upsertObservation(
				t,
				{
					kpiId: ASYL_KPI.occupancy,
					period,
					dimensionKey: dimensionKeyOf({ facility: facility.id }),
					value: Math.floor(this.random() * facility.capacity),
					status: 'final',
					sourceKind: 'feed',
					sourceRef: `feed-run-${this.seed}-${this.stats['feed changes'] ?? 0}`
				},
				null,
				CLOCK()
			);
			rebuildSnapshots(t, [ASYL_KPI.occupancy], CLOCK());
		});
		this.count('feed changes');
	}

	private visibilityChange() {
		const db = this.server.db;
		if (!db) return;
		const kpi = this.pick(Object.values(ASYL_KPI));
		setKpiVisibility(
			db,
			'u-admin',
			kpi,
			this.pick<Visibility>(['internal', 'council', 'public']),
			CLOCK()
		);
		this.count('visibility changes');
	}

	private permissionChange() {
		const db = this.server.db;
		if (!db) return;
		if (this.random() < 0.5) {
			setUserAccess(
				db,
				'u-admin',
				'u-erfassung',
				{
					role: 'editor',
					areas: this.random() < 0.5 ? ['asyl'] : []
				},
				CLOCK()
			);
		} else {
			setUserAccess(
				db,
				'u-admin',
				'u-rat',
				{
					role: this.random() < 0.5 ? 'councillor' : 'executive',
					areas: []
				},
				CLOCK()
			);
		}
		this.count('permission changes');
	}

	private async deliverDelayed() {
		const index = Math.floor(this.random() * this.delayed.length);
		const [copy] = this.delayed.splice(index, 1);
		if (!copy || !this.server.up) return;
		await this.server
			.caller(copy.client.token)
			.sync.push(copy.request)
			.catch(() => undefined);
		this.count('delayed copies delivered');
	}

	private async step() {
		const roll = this.random();
		const client = this.pick(this.clients);
		const writer = client.userId === 'u-erfassung' || client.userId === 'u-leitung';
		if (roll < 0.3 && writer) return this.createEntry(client);
		if (roll < 0.55) return this.sync(client);
		if (roll < 0.62) {
			this.count('reloads');
			return client.reload();
		}
		if (roll < 0.66 && client.needsLogin && this.server.up) {
			this.count('logins again');
			return client.logIn();
		}
		if (roll < 0.74) return this.feedChange();
		if (roll < 0.77) return this.visibilityChange();
		if (roll < 0.8) return this.permissionChange();
		if (roll < 0.85 && this.delayed.length) return this.deliverDelayed();
		if (roll < 0.89) {
			this.count(this.server.up ? 'server stops' : 'server starts');
			return this.server.up ? this.server.stop() : this.server.start();
		}
		if (roll < 0.93 && this.server.up) {
			this.log(`backup at head ${this.head()}`);
			this.count('backups');
			return this.server.backup();
		}
		if (roll < 0.95 && this.server.hasBackup) {
			this.log('restore from the last backup');
			this.count('restores');
			return this.server.restore();
		}
		return this.sync(client);
	}

	async run(steps: number) {
		for (let i = 0; i < steps; i++) {
			// Several things happen at once: phones sync while others enter data or the server changes.
			const parallel = 1 + Math.floor(this.random() * 3);
			await Promise.all(
				Array.from({ length: parallel }, () => this.step().catch((e) => this.interrupted(e)))
			);
		}
	}

	/** Work on a phone that reloaded meanwhile dies with its page, as in a browser. */
	private interrupted(error: unknown) {
		if (error instanceof Error && error.name === 'DatabaseClosedError') {
			this.count('operations cut off by a reload');
			return;
		}
		throw error;
	}

	/** No more faults: the server runs, late copies arrive, everyone logs in and syncs until quiet. */
	async heal() {
		this.faultsOn = false;
		this.server.start();
		while (this.delayed.length) await this.deliverDelayed();
		for (let round = 0; round < 4; round++) {
			for (const client of this.clients) {
				if (client.needsLogin) await client.logIn();
				await client.engine.sync('manual');
				await this.noteAcknowledged(client);
			}
		}
	}

	async check(): Promise<Failure[]> {
		const failures: Failure[] = [];
		const fail = (kind: Failure['kind'], message: string) => failures.push({ kind, message });
		const db = this.server.db!;
		const count = (sql: string, id: string) => (db.$client.prepare(sql).get(id) as { n: number }).n;
		const rejectedOnDevice = async (client: SimClient, id: string) =>
			(await client.db.outbox.get(id))?.state === 'rejected';

		for (const [id, client] of this.acknowledged) {
			const stored = count('SELECT count(*) AS n FROM form_entries WHERE id = ?', id);
			const applied = count(
				`SELECT count(*) AS n FROM audit_log WHERE action = 'entry.create' AND entity_id = ?`,
				id
			);
			if (stored === 1 && applied === 1) continue;
			// The one legitimate exception: the server lost the entry in a restore and then refused
			// it when the phone sent it again (e.g. its author lost the area); the author sees that.
			if (stored === 0 && applied === 0 && (await rejectedOnDevice(client, id))) continue;
			fail(
				stored > 1 || applied > 1 ? 'duplicated' : 'lost',
				`acknowledged entry ${id} of ${client.name} is stored ${stored}× and applied ${applied}×`
			);
		}

		for (const client of this.clients) {
			for (const id of client.created) {
				const stored = count('SELECT count(*) AS n FROM form_entries WHERE id = ?', id);
				if (stored === 1 || (await rejectedOnDevice(client, id))) continue;
				const local = await client.db.outbox.get(id);
				fail(
					'lost',
					`entry ${id} of ${client.name} is neither on the server nor visibly rejected (device: ${local?.state ?? 'gone'})`
				);
			}
			if ((await client.db.outbox.where('state').equals('queued').count()) > 0) {
				fail('lost', `${client.name} still has queued entries after healing`);
			}

			const principal = principalForToken(db, client.token, CLOCK());
			if (!principal) {
				fail('diverged', `${client.name} is not logged in after healing`);
				continue;
			}
			const view = serverPull(
				db,
				principal,
				{
					schemaVersion: SYNC_SCHEMA_VERSION,
					cursor: null,
					limit: 500
				},
				CLOCK()
			);
			if (view.kind !== 'changes' || view.hasMore) {
				fail('diverged', `server view for ${client.name} is not one page`);
				continue;
			}
			// Every synced entity against the device table that holds it.
			const TABLES = {
				'area.v1': 'area',
				'dimension.v1': 'dimension',
				'kpi.v2': 'kpi',
				'snapshot.v2': 'snapshot',
				'facility.v1': 'facility',
				'district.v1': 'district',
				'provider.v1': 'provider',
				'entry.v1': 'entry'
			} as const;
			type Table = (typeof TABLES)[keyof typeof TABLES];
			const expected = Object.fromEntries(
				Object.values(TABLES).map((t) => [t, new Map<string, unknown>()])
			) as Record<Table, Map<string, unknown>>;
			for (const change of view.changes) {
				if (change.op !== 'put') continue;
				expected[TABLES[change.entity]].set(change.id, change.data);
			}
			const byId = <T>(rows: T[], id: (row: T) => string) =>
				new Map<string, unknown>(rows.map((row) => [id(row), row]));
			const actual: Record<Table, Map<string, unknown>> = {
				area: byId(await client.db.areas.toArray(), (a) => a.id),
				dimension: byId(await client.db.dimensions.toArray(), (d) => d.id),
				kpi: byId(await client.db.catalogue.toArray(), (k) => k.id),
				snapshot: byId(await client.db.snapshots.toArray(), (s) => s.kpiId),
				facility: byId(await client.db.facilities.toArray(), (f) => f.id),
				district: byId(await client.db.districts.toArray(), (d) => d.id),
				provider: byId(await client.db.providers.toArray(), (p) => p.id),
				entry: byId(await client.db.entries.toArray(), (e) => e.id)
			};
			for (const table of Object.values(TABLES)) {
				const want = JSON.stringify([...expected[table]].sort(([a], [b]) => a.localeCompare(b)));
				const have = JSON.stringify([...actual[table]].sort(([a], [b]) => a.localeCompare(b)));
				if (want !== have) {
					const differing = [
						...new Set([...expected[table].keys(), ...actual[table].keys()])
					].filter(
						(id) =>
							JSON.stringify(expected[table].get(id)) !== JSON.stringify(actual[table].get(id))
					);
					if (process.env.FAULTS_DEBUG) {
						for (const id of differing) {
							console.error(id, 'server', JSON.stringify(expected[table].get(id)));
							console.error(id, 'device', JSON.stringify(actual[table].get(id)));
						}
					}
					fail(
						'diverged',
						`${client.name} (${principal.role}) has not converged on ${table}: differing [${differing.join(', ')}]`
					);
				}
			}
			for (const kpi of actual.kpi.values() as Iterable<KpiDefinition>) {
				if (!canRead(principal, kpi))
					fail('out of scope', `${client.name} holds ${kpi.id} outside its scope`);
			}
			for (const id of actual.snapshot.keys()) {
				if (!expected.snapshot.has(id))
					fail('out of scope', `${client.name} holds snapshot ${id} outside its scope`);
			}
		}
		return failures;
	}

	async tearDown() {
		for (const client of this.clients) {
			client.engine.stop();
			client.db.close();
			await client.db.delete();
		}
		this.server.stop();
		if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
	}
}

export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
	const sim = new Simulation(options.seed, options.log ?? (() => {}));
	try {
		await sim.setUp();
		await sim.run(options.steps ?? 80);
		await sim.heal();
		const failures = await sim.check();
		sim.stats['acknowledged entries'] = sim.acknowledged.size;
		return { seed: options.seed, failures, stats: sim.stats };
	} catch (error) {
		return {
			seed: options.seed,
			failures: [
				{
					kind: 'crashed',
					message: error instanceof Error ? (error.stack ?? error.message) : String(error)
				}
			],
			stats: sim.stats
		};
	} finally {
		await sim.tearDown();
	}
}
