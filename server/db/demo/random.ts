/** mulberry32: a small seeded PRNG, so the demo data is the same on every run. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Roughly normal noise (sum of uniforms), mean 0, standard deviation about 1. */
export function noise(random: () => number): number {
	return (random() + random() + random() + random() - 2) * 1.73;
}

/**
 * A stream of its own for one part of the demo (an area, a KPI), derived from the demo seed and
 * a name: changing how one part draws its numbers leaves every other part's data as it was.
 */
export function streamFor(seed: number, name: string): () => number {
	// FNV-1a over the name, mixed into the seed.
	let hash = 0x811c9dc5;
	for (let i = 0; i < name.length; i++) {
		hash ^= name.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return seededRandom((seed ^ hash) >>> 0);
}
