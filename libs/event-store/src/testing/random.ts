/** Deterministic (mulberry32), so a failure of a test on random inputs reproduces. Tests only. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `xs`, drawn with `rnd` (a generator from `random`). Tests only. */
export function picker(rnd: () => number): <T>(xs: readonly T[]) => T {
  return (xs) => xs[Math.floor(rnd() * xs.length)]!;
}
