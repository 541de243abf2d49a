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
