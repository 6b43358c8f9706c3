/**
 * The one seeded random generator behind every random choice in TicketLab: shuffles,
 * permutations, weight and score initialisation, dropout, sampling, augmentation.
 *
 * Algorithm (documented so runs reproduce on any machine and in any language):
 * - Generator: xoshiro128** 1.1 (Blackman & Vigna, 2018), 128-bit state of four uint32 words,
 *   period 2^128 − 1, output `rotl(s1 * 5, 7) * 9`.
 * - Seeding: the 32-bit seed is expanded into the four state words with splitmix32
 *   (`z += 0x9e3779b9; z = (z ^ z>>>16) * 0x85ebca6b; z = (z ^ z>>>13) * 0xc2b2ae35; z ^ z>>>16`).
 * - Sub-streams: {@link deriveSeed} hashes a parent seed and labels with FNV-1a 32 then
 *   splitmix32, so `deriveSeed(seed, 'task', 3)` gives an independent, reproducible stream.
 * - Floats: `next()` = (uint32 >>> 8) / 2^24, i.e. 24 random bits, exactly representable in
 *   float32. Integers below n use rejection sampling (no modulo bias).
 * - Normals: Box–Muller on two `next()` draws, both outputs used in turn.
 * - Shuffle: Fisher–Yates from the last index down, `j = int(i + 1)`.
 *
 * All arithmetic is 32-bit integer (`Math.imul`, `>>> 0`), so results are identical on every
 * platform. State can be saved and restored for checkpoints.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const order = rng.permutation(10); // Int32Array, the same on every machine for seed 42
 * ```
 */
import { expectInRange, InvalidArgumentError } from './errors';

/** Serialisable generator state: four uint32 words plus a cached normal (or null). */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

function splitmix32(state: { z: number }): number {
  state.z = (state.z + 0x9e3779b9) >>> 0;
  let z = state.z;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Checks a seed: an integer in [0, 2^32). */
export function expectSeed(fn: string, seed: unknown): number {
  return expectInRange(fn, 'seed', seed, { min: 0, max: 0xffffffff, integer: true });
}

/**
 * Derives an independent 32-bit seed from a parent seed and any labels (strings or numbers),
 * e.g. `deriveSeed(seed, 'permutation', taskIndex)`.
 */
export function deriveSeed(seed: number, ...labels: readonly (string | number)[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = labels.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  h = Math.imul(h ^ (seed >>> 16), 0x01000193) >>> 0;
  return splitmix32({ z: h });
}

/** The xoshiro128** state update (without the output): linear over GF(2) in the 128 state bits. */
function advanceOnce(w: Uint32Array): void {
  const t = (w[1] << 9) >>> 0;
  w[2] ^= w[0];
  w[3] ^= w[1];
  w[1] ^= w[2];
  w[0] ^= w[3];
  w[2] ^= t;
  w[3] = rotl(w[3], 11);
}

/** `out` = M·v over GF(2), M as 128 columns of 4 words: the XOR of the columns where v has a 1. */
function applyColumns(columns: Uint32Array, v: Uint32Array, out: Uint32Array): void {
  out.fill(0);
  for (let j = 0; j < 128; j++) {
    if ((v[j >>> 5] >>> (j & 31)) & 1) {
      for (let q = 0; q < 4; q++) out[q] ^= columns[4 * j + q];
    }
  }
}

/** T^(2^k) for k = 0, 1, …, as column matrices, T the state update; grown on demand. */
const advancePowers: Uint32Array[] = [];

function advancePower(k: number): Uint32Array {
  while (advancePowers.length <= k) {
    const columns = new Uint32Array(512);
    if (advancePowers.length === 0) {
      for (let j = 0; j < 128; j++) {
        const e = new Uint32Array(4);
        e[j >>> 5] = 1 << (j & 31);
        advanceOnce(e);
        columns.set(e, 4 * j);
      }
    } else {
      const previous = advancePowers[advancePowers.length - 1]; // M² column j = M·(M column j)
      for (let j = 0; j < 128; j++) applyColumns(previous, previous.subarray(4 * j, 4 * j + 4), columns.subarray(4 * j, 4 * j + 4));
    }
    advancePowers.push(columns);
  }
  return advancePowers[k];
}

/** A seeded xoshiro128** generator. Not safe to share between concurrent streams: fork it. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  /** @param seed an integer in [0, 2^32) */
  constructor(seed: number) {
    expectSeed('Rng', seed);
    const sm = { z: seed >>> 0 };
    this.s0 = splitmix32(sm);
    this.s1 = splitmix32(sm);
    this.s2 = splitmix32(sm);
    this.s3 = splitmix32(sm);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Restores a generator from {@link Rng.getState}. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  /** A copy of the state, for checkpoints. */
  getState(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  /** Sets the state from {@link Rng.getState}. @throws InvalidArgumentError on a malformed state */
  setState(state: RngState): void {
    const w = state?.words;
    if (!Array.isArray(w) || w.length !== 4 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffffffff)) {
      throw new InvalidArgumentError(`Rng.setState: words must be four uint32 numbers; got ${JSON.stringify(w)}.`);
    }
    [this.s0, this.s1, this.s2, this.s3] = w as [number, number, number, number];
    this.spare = state.spareNormal ?? null;
  }

  /** The next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Advances the generator as if {@link nextUint32} had been called `count` times, in
   * O(log count) (the state update is linear over GF(2): the state is multiplied by powers of
   * its matrix). Lets parallel workers each start at their own offset of one stream, so the
   * draws are exactly the serial ones. The cached normal, if any, is kept.
   * @param count an integer in [0, 2^53)
   * @example
   * ```ts
   * const a = new Rng(7); a.skip(1000);
   * const b = new Rng(7); for (let i = 0; i < 1000; i++) b.nextUint32();
   * a.nextUint32() === b.nextUint32(); // true
   * ```
   */
  skip(count: number): this {
    expectInRange('Rng.skip', 'count', count, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
    let v = Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
    let scratch = new Uint32Array(4);
    for (let k = 0, rest = count; rest > 0; k++, rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) {
        applyColumns(advancePower(k), v, scratch);
        [v, scratch] = [scratch, v];
      }
    }
    [this.s0, this.s1, this.s2, this.s3] = v;
    return this;
  }

  /** A float in [0, 1) with 24 random bits. */
  next(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [0, n), without modulo bias. n must be in [1, 2^32]. */
  int(n: number): number {
    if (!(n >= 1 && n <= 0x100000000 && Number.isInteger(n))) {
      throw new InvalidArgumentError(`Rng.int: n must be an integer in [1, 2^32]; got ${n}.`);
    }
    if (n === 1) return 0;
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles an array or typed array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** Fills `out` with U(lo, hi) draws. */
  fillUniform(out: Float32Array, lo: number, hi: number): Float32Array {
    const span = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + span * this.next();
    return out;
  }

  /** Fills `out` with N(mean, std²) draws. */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** `k` distinct indices from 0..n-1 in random order (partial Fisher–Yates). */
  sample(n: number, k: number): Int32Array {
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
      throw new InvalidArgumentError(`Rng.sample: k must be an integer in [0, ${n}]; got ${k}.`);
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.slice(0, k);
  }

  /** A new generator whose stream is derived from this one's next draw and `label`. */
  fork(label: string | number = ''): Rng {
    return new Rng(deriveSeed(this.nextUint32(), label));
  }
}
