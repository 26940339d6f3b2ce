// A seeded random source (mulberry32), so a failing property case can be replayed from its seed.
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for case `i` of a run: fixed unless PLAYCONNECT_SEED is set, so runs are repeatable. */
export function caseSeed(i) {
  const base = Number.parseInt(process.env.PLAYCONNECT_SEED ?? '20261128', 10);
  return (base + i * 7919) >>> 0;
}
