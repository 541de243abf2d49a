/** One file a department delivered, and how its import is meant to end. */
export interface DemoDelivery {
	feedId: string;
	/** The file's name in the demo feed folder (history under `lieferungen/`). */
	fileName: string;
	bytes: Buffer;
	/** When it arrived: the run is dated then, and its day is the run's `today`. */
	deliveredAt: Date;
	/** The file the department sent last, as opposed to one from the history. */
	current: boolean;
	expected: { status: 'succeeded' | 'failed'; rowsRejected: number };
}
