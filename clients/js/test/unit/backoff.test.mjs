import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, backoffOptions, DEFAULT_BACKOFF } from '../../src/backoff.js';
import { seeded, caseSeed } from '../support/random.mjs';

test('without jitter the delay doubles from the initial one up to the cap', () => {
  const o = backoffOptions({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0 });
  assert.deepEqual([0, 1, 2, 3, 4, 5, 30].map((n) => backoffDelay(n, o)), [100, 200, 400, 800, 1000, 1000, 1000]);
});

test('with jitter every delay lies between (1 - jitter) and 1 times the nominal one, and they differ', () => {
  for (let i = 0; i < 200; i += 1) {
    const seed = caseSeed(i);
    const random = seeded(seed);
    const jitter = random();
    const o = backoffOptions({ initialDelayMs: 50, maxDelayMs: 5000, multiplier: 1 + random() * 2, jitter });
    const seen = new Set();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const nominal = Math.min(o.maxDelayMs, o.initialDelayMs * o.multiplier ** attempt);
      const delay = backoffDelay(attempt, o, random);
      seen.add(delay);
      assert.ok(delay <= Math.round(nominal) && delay >= Math.floor(nominal * (1 - jitter)) - 1,
        `seed ${seed} attempt ${attempt}: ${delay} outside [${nominal * (1 - jitter)}, ${nominal}]`);
    }
    if (jitter > 0.05) {
      assert.ok(seen.size > 1, `seed ${seed}: jitter ${jitter} gave one delay for every attempt`);
    }
  }
});

test('the defaults are 250 ms doubling to 10 s with half jitter', () => {
  assert.deepEqual({ ...DEFAULT_BACKOFF }, { initialDelayMs: 250, maxDelayMs: 10000, multiplier: 2, jitter: 0.5 });
});

test('bad backoff options are refused with the option name', () => {
  assert.throws(() => backoffOptions({ initialDelayMs: -1 }), /initialDelayMs/);
  assert.throws(() => backoffOptions({ maxDelayMs: 10, initialDelayMs: 20 }), /maxDelayMs must be >= initialDelayMs/);
  assert.throws(() => backoffOptions({ multiplier: 0.5 }), /multiplier/);
  assert.throws(() => backoffOptions({ jitter: 2 }), /jitter/);
});
