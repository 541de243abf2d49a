/**
 * The keys (KPI, period, dimensions) a run has seen, to find duplicate rows in one file. Keys
 * are kept as two independent 32-bit hashes in typed arrays (12 bytes a row with the line),
 * not as strings: a file of millions of rows stays within a few dozen megabytes. Two different
 * keys share both hashes with a probability of about 1 in 10^13 for a million rows.
 */
export class KeySet {
	private high = new Uint32Array(1 << 16);
	private low = new Uint32Array(1 << 16);
	private lines = new Uint32Array(1 << 16);
	private used = 0;

	/**
	 * Adds a key (its parts, hashed as if joined by NUL) seen on `line`; returns the line it was
	 * first seen on if it is a duplicate.
	 */
	add(line: number, a: string, b: string, c: string): number | null {
		hashParts(a, b, c);
		const h = hashState[0]!;
		const l = hashState[1]!;
		const mask = this.high.length - 1;
		// Slot 0/0 marks empty; a key hashing to it is moved by one bit.
		const hi = h === 0 && l === 0 ? 1 : h;
		for (let slot = (l ^ (hi >>> 7)) & mask; ; slot = (slot + 1) & mask) {
			if (this.high[slot] === 0 && this.low[slot] === 0) {
				this.high[slot] = hi;
				this.low[slot] = l;
				this.lines[slot] = line;
				if (++this.used * 10 > this.high.length * 7) this.grow();
				return null;
			}
			if (this.high[slot] === hi && this.low[slot] === l) return this.lines[slot]!;
		}
	}

	get size() {
		return this.used;
	}

	private grow() {
		const { high, low, lines } = this;
		this.high = new Uint32Array(high.length * 2);
		this.low = new Uint32Array(high.length * 2);
		this.lines = new Uint32Array(high.length * 2);
		const mask = this.high.length - 1;
		for (let i = 0; i < high.length; i++) {
			if (high[i] === 0 && low[i] === 0) continue;
			let slot = (low[i]! ^ (high[i]! >>> 7)) & mask;
			while (this.high[slot] !== 0 || this.low[slot] !== 0) slot = (slot + 1) & mask;
			this.high[slot] = high[i]!;
			this.low[slot] = low[i]!;
			this.lines[slot] = lines[i]!;
		}
	}
}

const hashState = new Uint32Array(2);

/**
 * FNV-1a and a multiplicative hash (Murmur3's mixing) over the UTF-16 code units, written
 * into `hashState` instead of returning a pair: a million keys make no garbage.
 */
function hashParts(first: string, second: string, third: string): void {
	let a = 0x811c9dc5;
	let b = 0x9747b28c;
	for (let p = 0; p < 3; p++) {
		const key = p === 0 ? first : p === 1 ? second : third;
		if (p > 0) {
			a = Math.imul(a, 0x01000193);
			b = Math.imul(b, 0x5bd1e995);
			b ^= b >>> 15;
		}
		for (let i = 0; i < key.length; i++) {
			const c = key.charCodeAt(i);
			a = Math.imul(a ^ c, 0x01000193);
			b = Math.imul(b ^ c, 0x5bd1e995);
			b ^= b >>> 15;
		}
	}
	a ^= a >>> 16;
	b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
	b ^= b >>> 16;
	hashState[0] = a >>> 0;
	hashState[1] = b >>> 0;
}
