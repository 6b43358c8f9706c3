import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalCodes,
  huffmanCodeLengths,
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedBits,
} from '../../src/metrics/index';
import { Rng } from '../../src/random';

function histogramOf(symbols: ArrayLike<number>, size: number): number[] {
  const h = new Array<number>(size).fill(0);
  for (let i = 0; i < symbols.length; i++) h[symbols[i]]++;
  return h;
}

function roundTrip(symbols: Uint8Array, size: number): number {
  const lengths = huffmanCodeLengths(histogramOf(symbols, size));
  const stream = huffmanEncode(symbols, lengths);
  const back = huffmanDecode(stream, lengths, new Uint8Array(symbols.length));
  assert.deepEqual(back, symbols);
  return stream.bitLength;
}

const kraft = (lengths: Uint8Array): number => [...lengths].reduce((s, l) => s + (l > 0 ? 2 ** -l : 0), 0);

test('a small example matches the hand computation', () => {
  // counts a:5 b:2 c:1 d:1 → merge c+d (2), b+cd (4), a+bcd (9) → lengths 1, 2, 3, 3
  const lengths = huffmanCodeLengths([5, 2, 1, 1]);
  assert.deepEqual([...lengths], [1, 2, 3, 3]);
  assert.deepEqual(canonicalCodes(lengths), [0b0, 0b10, 0b110, 0b111]);
  assert.equal(huffmanEncodedBits([5, 2, 1, 1]), 5 + 4 + 3 + 3);
  const stream = huffmanEncode([0, 1, 2, 3], lengths); // 0 10 110 111 → 0101 1011 1(000)
  assert.equal(stream.bitLength, 9);
  assert.deepEqual([...stream.bytes], [0b01011011, 0b10000000]);
  assert.deepEqual([...huffmanDecode(stream, lengths)], [0, 1, 2, 3]);
});

test('code lengths satisfy the Kraft equality for two or more symbols', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 20; trial++) {
    const size = 2 + rng.int(127);
    const h = Array.from({ length: size }, () => (rng.next() < 0.3 ? 0 : 1 + rng.int(1000)));
    h[0] = 1;
    h[size - 1] = 5;
    assert.equal(kraft(huffmanCodeLengths(h)), 1, `trial ${trial}`);
  }
});

test('random symbols over 128 values round-trip losslessly and cost at most 7 bits each', () => {
  const rng = new Rng(3);
  const symbols = Uint8Array.from({ length: 5000 }, () => rng.int(128));
  const bits = roundTrip(symbols, 128);
  assert.ok(bits <= 7 * symbols.length);
});

test('structured mask symbols (mostly zero) round-trip and compress well', () => {
  const rng = new Rng(4);
  const symbols = Uint8Array.from({ length: 20000 }, () => (rng.next() < 0.9 ? 0 : 1 << rng.int(7)));
  const bits = roundTrip(symbols, 128);
  assert.ok(bits < 2 * symbols.length, `${bits} bits`);
});

test('all-equal symbols get a 1-bit code; the official 0-bit convention is available for the size count', () => {
  const symbols = new Uint8Array(100).fill(42);
  assert.equal(roundTrip(symbols, 128), 100);
  const h = histogramOf(symbols, 128);
  assert.equal(huffmanCodeLengths(h)[42], 1);
  assert.equal(huffmanEncodedBits(h), 100);
  assert.equal(huffmanEncodedBits(h, { singleSymbol: 'zero-bit' }), 0);
});

test('empty input encodes to an empty stream and decodes back to nothing', () => {
  const lengths = huffmanCodeLengths(new Array(128).fill(0));
  assert.ok(lengths.every((l) => l === 0));
  const stream = huffmanEncode([], lengths);
  assert.equal(stream.bitLength, 0);
  assert.equal(stream.bytes.length, 0);
  assert.equal(huffmanDecode(stream, lengths).length, 0);
  assert.equal(huffmanEncodedBits([]), 0);
});

test('a skewed (Fibonacci) histogram yields long but valid codes', () => {
  const fib = [1, 1];
  while (fib.length < 40) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
  const lengths = huffmanCodeLengths(fib);
  assert.equal(Math.max(...lengths), 39);
  assert.equal(kraft(lengths), 1);
  const symbols = Uint8Array.from([0, 1, 39, 20, 0, 38]);
  assert.deepEqual(huffmanDecode(huffmanEncode(symbols, lengths), lengths, new Uint8Array(6)), symbols);
});

test('bad inputs are rejected with a clear message', () => {
  assert.throws(() => huffmanCodeLengths([1, -2]), /histogram\[1\] must be a whole count/);
  assert.throws(() => huffmanCodeLengths([1, 0.5]), /whole count/);
  assert.throws(() => huffmanEncode([0, 3], huffmanCodeLengths([1, 1, 0, 0])), /symbols\[1\] = 3 has no code/);
  assert.throws(() => canonicalCodes([1, 1, 1]), /Kraft inequality/);
  const lengths = huffmanCodeLengths([5, 2, 1, 1]);
  const stream = huffmanEncode([3, 3], lengths);
  assert.throws(() => huffmanDecode({ ...stream, count: 3 }, lengths), /stream ended/);
  assert.throws(() => huffmanEncodedBits([1, 1], { singleSymbol: 'none' as never }), /singleSymbol/);
});
