// Exponential backoff with jitter: many clients dropped at once (a server restart) must not all
// come back in the same millisecond.

export const DEFAULT_BACKOFF = Object.freeze({
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  multiplier: 2,
  /** Fraction of each delay that is random: 0.5 waits between half and all of the nominal delay. */
  jitter: 0.5,
});

/**
 * Checks backoff options, naming the bad one.
 * @returns {{initialDelayMs: number, maxDelayMs: number, multiplier: number, jitter: number}}
 */
export function backoffOptions(options = {}) {
  const o = { ...DEFAULT_BACKOFF, ...options };
  for (const name of ['initialDelayMs', 'maxDelayMs']) {
    if (!Number.isFinite(o[name]) || o[name] < 0) {
      throw new RangeError(`${name} must be a finite number >= 0: ${o[name]}`);
    }
  }
  if (o.maxDelayMs < o.initialDelayMs) {
    throw new RangeError(`maxDelayMs must be >= initialDelayMs: ${o.maxDelayMs} < ${o.initialDelayMs}`);
  }
  if (!Number.isFinite(o.multiplier) || o.multiplier < 1) {
    throw new RangeError(`multiplier must be >= 1: ${o.multiplier}`);
  }
  if (!Number.isFinite(o.jitter) || o.jitter < 0 || o.jitter > 1) {
    throw new RangeError(`jitter must be in 0..1: ${o.jitter}`);
  }
  return o;
}

/**
 * The delay before retry number `attempt` (0 for the first retry).
 * @param {number} attempt
 * @param {ReturnType<typeof backoffOptions>} options
 * @param {() => number} random a source in [0, 1), injectable so tests can pin it
 */
export function backoffDelay(attempt, options, random = Math.random) {
  const nominal = Math.min(options.maxDelayMs, options.initialDelayMs * options.multiplier ** Math.max(0, attempt));
  return Math.round(nominal * (1 - options.jitter * random()));
}
