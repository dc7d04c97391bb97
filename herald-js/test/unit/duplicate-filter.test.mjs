import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateFilter } from '../../dist/index.js';

test('an id is new once, then a duplicate', () => {
  const filter = new DuplicateFilter(10);
  assert.equal(filter.firstSeen(7n), true);
  assert.equal(filter.firstSeen(7n), false);
  assert.equal(filter.firstSeen(8n), true);
  assert.equal(filter.size, 2);
});

test('ids differing only above 2^53 are told apart', () => {
  const filter = new DuplicateFilter(10);
  assert.equal(filter.firstSeen(2n ** 63n + 1n), true);
  assert.equal(filter.firstSeen(2n ** 63n + 2n), true);
  assert.equal(filter.firstSeen(2n ** 63n + 1n), false);
});

test('the window forgets the oldest id first and never grows beyond its size', () => {
  const filter = new DuplicateFilter(3);
  for (const id of [1n, 2n, 3n, 4n]) {
    assert.equal(filter.firstSeen(id), true);
  }
  assert.equal(filter.size, 3);
  assert.equal(filter.firstSeen(2n), false, 'still remembered');
  assert.equal(filter.firstSeen(1n), true, 'forgotten: the oldest went first');
  for (let id = 100n; id < 10_100n; id++) {
    filter.firstSeen(id);
  }
  assert.equal(filter.size, 3);
});

test('a duplicate does not refresh its place in the window', () => {
  const filter = new DuplicateFilter(2);
  filter.firstSeen(1n);
  filter.firstSeen(2n);
  filter.firstSeen(1n); // duplicate: 1 stays the oldest
  filter.firstSeen(3n); // evicts 1
  assert.equal(filter.firstSeen(1n), true);
});

test('a window below 1 is refused', () => {
  assert.throws(() => new DuplicateFilter(0), RangeError);
});
