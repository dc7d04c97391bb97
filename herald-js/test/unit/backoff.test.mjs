import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../dist/index.js';

/** A random source that returns the given values in turn. */
const sequence = (...values) => {
  let i = 0;
  return () => values[i++ % values.length];
};
const almostOne = 1 - Number.EPSILON;

test('full jitter: attempt n waits within [0, min(max, initial × multiplier^(n-1))]', () => {
  const high = new Backoff({ initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, jitter: 'full', random: () => almostOne });
  assert.deepEqual(
    Array.from({ length: 9 }, () => high.nextDelay()),
    [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000],
  );
  const low = new Backoff({ initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, jitter: 'full', random: () => 0 });
  assert.deepEqual([low.nextDelay(), low.nextDelay()], [0, 0]);
});

test('full jitter spreads delays over the whole range', () => {
  const backoff = new Backoff({ initialDelayMs: 1000, maxDelayMs: 1000, multiplier: 2, jitter: 'full' });
  const delays = Array.from({ length: 2000 }, () => backoff.nextDelay());
  assert.ok(delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 1000));
  assert.ok(Math.min(...delays) < 100 && Math.max(...delays) > 900, 'covers the range');
  assert.ok(new Set(delays).size > 500, 'not in lockstep');
});

test('decorrelated jitter stays within [initial, min(max, 3 × previous)]', () => {
  const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 5000, multiplier: 2, jitter: 'decorrelated' });
  let previous = 100;
  for (let i = 0; i < 500; i++) {
    const delay = backoff.nextDelay();
    assert.ok(delay >= 100 && delay <= Math.min(5000, 3 * previous), `${delay} after ${previous}`);
    previous = delay;
  }
  const top = new Backoff({ initialDelayMs: 100, maxDelayMs: 5000, multiplier: 2, jitter: 'decorrelated', random: () => almostOne });
  assert.deepEqual(Array.from({ length: 5 }, () => top.nextDelay()), [300, 900, 2700, 5000, 5000]);
});

test('reset starts over from the initial delay', () => {
  const backoff = new Backoff({ initialDelayMs: 200, maxDelayMs: 10_000, multiplier: 3, jitter: 'full', random: sequence(almostOne) });
  backoff.nextDelay();
  backoff.nextDelay();
  assert.equal(backoff.attempts, 2);
  backoff.reset();
  assert.equal(backoff.attempts, 0);
  assert.equal(backoff.nextDelay(), 200);
});

test('bad settings are refused', () => {
  assert.throws(() => new Backoff({ initialDelayMs: 1, maxDelayMs: 2, multiplier: 0.5, jitter: 'full' }), RangeError);
  assert.throws(() => new Backoff({ initialDelayMs: 1, maxDelayMs: 2, multiplier: 2, jitter: 'none' }), RangeError);
});
