/**
 * Weight initialisers, each filling a Float32Array from the project's seeded {@link Rng} and
 * making one tensor: the same seed gives the same weights on every backend and machine.
 *
 * - Kaiming-uniform with a = √5 (PyTorch's default for conv and linear weights, used by WSN for
 *   weights, scores and heads [WSN code; methods.md §1.2]): U(−1/√fanIn, +1/√fanIn), since
 *   gain = √(2/(1+a²)) = √(1/3) and bound = gain·√(3/fanIn).
 * - Signed constant (SupSup, Wortsman et al. 2020, §4 of methods.md): sign of a Kaiming draw
 *   times gain/√fanIn with the ReLU gain √2. The sign of a symmetric draw is a fair coin.
 * - PyTorch's linear/conv bias default: U(−1/√fanIn, +1/√fanIn), the same bound.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, expectOneOf } from '../errors';
import { Rng } from '../random';

/** Names of the body-weight initialisers. */
export type WeightInit = 'kaiming-uniform' | 'signed-constant';

/** Every {@link WeightInit}, for validation and menus. */
export const weightInits: readonly WeightInit[] = Object.freeze(['kaiming-uniform', 'signed-constant']);

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Fills a Float32Array of `size` values drawn by `init` for a tensor with Kaiming fan-in
 * `fanIn`, from a generator seeded with `seed`.
 * @throws InvalidArgumentError on a bad fanIn or seed; UnknownNameError on an unknown init.
 * @example
 * ```ts
 * const values = initValues('kaiming-uniform', 784 * 100, 784, 7); // all in (−1/28, 1/28)
 * ```
 */
export function initValues(init: WeightInit, size: number, fanIn: number, seed: number): Float32Array {
  expectOneOf('weight init', init, weightInits);
  expectInRange('initValues', 'fanIn', fanIn, { min: 1, integer: true });
  const rng = new Rng(seed);
  const out = new Float32Array(size);
  const bound = 1 / Math.sqrt(fanIn);
  if (init === 'kaiming-uniform') return rng.fillUniform(out, -bound, bound);
  const magnitude = Math.SQRT2 / Math.sqrt(fanIn); // ReLU gain √2 over √fanIn
  for (let i = 0; i < size; i++) out[i] = rng.next() < 0.5 ? -magnitude : magnitude;
  return out;
}

/**
 * A tensor of `shape` with Kaiming-uniform (a = √5) values U(−1/√fanIn, 1/√fanIn), e.g. to
 * initialise WSN scores like their weights. Caller disposes.
 * @example
 * ```ts
 * const scores = kaimingUniform([3, 3, 16, 32], 3 * 3 * 16, 11);
 * ```
 */
export function kaimingUniform(shape: readonly number[], fanIn: number, seed: number): tf.Tensor {
  return tf.tensor(initValues('kaiming-uniform', numel(shape), fanIn, seed), [...shape], 'float32');
}

/**
 * A tensor of `shape` with SupSup's signed-constant values ±√2/√fanIn. Caller disposes.
 * @example
 * ```ts
 * const w = signedConstant([784, 100], 784, 3); // every entry is ±0.0505
 * ```
 */
export function signedConstant(shape: readonly number[], fanIn: number, seed: number): tf.Tensor {
  return tf.tensor(initValues('signed-constant', numel(shape), fanIn, seed), [...shape], 'float32');
}
