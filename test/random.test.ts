import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, deriveSeed } from '../src/random';
import { InvalidArgumentError } from '../src/errors';

test('xoshiro128** matches the reference output for a known state', () => {
  // Reference: xoshiro128** 1.1 with state {1, 2, 3, 4} gives 11520, 0, 5927040, 70819200, ...
  const rng = Rng.fromState({ words: [1, 2, 3, 4], spareNormal: null });
  assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], [11520, 0, 5927040, 70819200]);
});

test('the same seed gives the same stream and a different seed a different one', () => {
  const a = new Rng(42).permutation(50);
  const b = new Rng(42).permutation(50);
  const c = new Rng(43).permutation(50);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('permutation is a bijection', () => {
  const p = new Rng(7).permutation(1000);
  assert.equal(new Set(p).size, 1000);
  assert.ok([...p].every((v) => v >= 0 && v < 1000));
});

test('state round trip continues the stream exactly, including a cached normal', () => {
  const rng = new Rng(5);
  rng.normal();
  const saved = rng.getState();
  const expected = [rng.normal(), rng.next(), rng.int(17)];
  const restored = Rng.fromState(JSON.parse(JSON.stringify(saved)));
  assert.deepEqual([restored.normal(), restored.next(), restored.int(17)], expected);
});

test('int is unbiased enough and in range', () => {
  const rng = new Rng(1);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60000; i++) counts[rng.int(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `count ${c}`);
});

test('normal draws have mean 0 and variance 1', () => {
  const rng = new Rng(3);
  const xs = rng.fillNormal(new Float32Array(100000));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(variance - 1) < 0.02, `${mean} ${variance}`);
});

test('sample returns k distinct indices', () => {
  const s = new Rng(9).sample(100, 30);
  assert.equal(new Set(s).size, 30);
});

test('deriveSeed separates labels and parents', () => {
  assert.notEqual(deriveSeed(1, 'task', 0), deriveSeed(1, 'task', 1));
  assert.notEqual(deriveSeed(1, 'task', 0), deriveSeed(2, 'task', 0));
  assert.equal(deriveSeed(1, 'task', 0), deriveSeed(1, 'task', 0));
});

test('bad seeds name the value and the range', () => {
  assert.throws(() => new Rng(-1), (e: unknown) => e instanceof InvalidArgumentError && /seed must be an integer in \[0, 4294967295\]; got -1/.test((e as Error).message));
  assert.throws(() => new Rng(1.5), InvalidArgumentError);
});

test('skip(count) lands exactly where count draws would, for counts up to 2^20 and beyond', () => {
  for (const [seed, count] of [[0, 0], [1, 1], [7, 31], [42, 1000], [3, 65_537], [0xffffffff, (1 << 20) + 3]] as const) {
    const serial = new Rng(seed);
    for (let i = 0; i < count; i++) serial.nextUint32();
    const skipped = new Rng(seed).skip(count);
    assert.deepEqual(skipped.getState(), serial.getState(), `seed ${seed}, count ${count}`);
  }
  // Skips compose: 2^40 + 5 then 3 equals 2^40 + 8 (far beyond any serial check).
  const a = new Rng(9).skip(2 ** 40 + 5).skip(3);
  const b = new Rng(9).skip(2 ** 40 + 8);
  assert.deepEqual(a.getState(), b.getState());
  assert.notDeepEqual(a.getState(), new Rng(9).getState());
  assert.throws(() => new Rng(1).skip(-1), /count/);
  assert.throws(() => new Rng(1).skip(1.5), /count/);
});
