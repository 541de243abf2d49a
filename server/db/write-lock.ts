/**
 * The server's writers take turns. SQLite has one writer at a time, and better-sqlite3 waits
 * for a busy database by blocking the thread – the whole server. The one long writer is a feed
 * upload: it runs on a connection of its own, pausing so that reads go on (WAL), and holds this
 * lock meanwhile. Every other write of the process is a short synchronous stretch that starts
 * after `await writeLock.idle()`, so it never meets the upload's open transaction.
 */
export class WriteLock {
	private tail: Promise<void> = Promise.resolve();
	private active = 0;

	/** Whether exclusive work runs or waits: a write now would have to wait for it. */
	get busy(): boolean {
		return this.active > 0;
	}

	/** Runs `work` alone: after the exclusive work before it, and before any writer that waits. */
	async exclusive<T>(work: () => Promise<T>): Promise<T> {
		this.active++;
		const previous = this.tail;
		let release!: () => void;
		this.tail = new Promise((resolve) => (release = resolve));
		try {
			await previous;
			return await work();
		} finally {
			this.active--;
			release();
		}
	}

	/**
	 * Resolves when no exclusive work runs or waits. Write synchronously right after it: until
	 * the next `await`, nothing else can start.
	 */
	async idle(): Promise<void> {
		while (this.active > 0) await this.tail;
	}
}

export const writeLock = new WriteLock();
