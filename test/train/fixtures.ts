/**
 * Test fixtures for src/train: a tiny two-layer MLP with named variables and multi-head
 * logits (the part of the Network contract the engine uses), and tiny synthetic tasks held
 * in typed arrays with a seeded batch maker.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOptions, Network } from '../../src/models/types';
import type { Batch } from '../../src/data/types';
import { Rng } from '../../src/random';

let netCounter = 0;

function toVariable(values: Float32Array, shape: number[], name: string): tf.Variable {
  const initial = tf.tensor(values, shape);
  const v = tf.variable(initial, true, name);
  initial.dispose();
  return v;
}

/** The subset of {@link Network} the training engine relies on. */
export type TinyNet = Pick<Network, 'params' | 'logits' | 'dispose'> & {
  /** Adds a head of `width` outputs, initialised from `rng`; returns its task index. */
  addHead(width: number, rng: Rng): number;
};

/** A seeded MLP: [B,2,2,1] → fc1 (4→hidden, relu) → one linear head per task. */
export function tinyMlp(seed: number, hidden = 8): TinyNet {
  const id = netCounter++;
  const rng = new Rng(seed);
  const params = new Map<string, tf.Variable>();
  const make = (name: string, shape: number[], fanIn: number): void => {
    const bound = 1 / Math.sqrt(fanIn);
    const values = rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), -bound, bound);
    params.set(name, toVariable(values, shape, `tiny${id}/${name}`));
  };
  make('fc1/kernel', [4, hidden], 4);
  make('fc1/bias', [hidden], 4);
  let heads = 0;
  return {
    params,
    addHead(width: number, headRng: Rng) {
      const bound = 1 / Math.sqrt(hidden);
      const values = headRng.fillUniform(new Float32Array(hidden * width), -bound, bound);
      params.set(`head/main/${heads}/kernel`, toVariable(values, [hidden, width], `tiny${id}/head/${heads}`));
      return heads++;
    },
    logits(x: tf.Tensor4D, task: number, options: ForwardOptions & { readonly branch?: string; readonly concatUpTo?: boolean }) {
      return tf.tidy(() => {
        const w = (name: string): tf.Tensor => {
          const v = params.get(name)!;
          return options.weight ? options.weight({ name } as never, v) : v;
        };
        const flat = tf.reshape(x, [x.shape[0], 4]);
        const h = tf.relu(tf.add(tf.matMul(flat, w('fc1/kernel') as tf.Tensor2D), w('fc1/bias')));
        return tf.matMul(h as tf.Tensor2D, w(`head/main/${task}/kernel`) as tf.Tensor2D);
      });
    },
    dispose() {
      for (const v of params.values()) v.dispose();
    },
  };
}

/** A tiny synthetic split: 4-pixel images whose class depends on a seeded linear rule. */
export interface TinySplit {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

/** A tiny task: `classes` classes, separable by a seeded projection. */
export function tinyTask(seed: number, count = 48, classes = 2): { train: TinySplit; val: TinySplit; test: TinySplit } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () => rng.fillNormal(new Float32Array(4), 0, 1.5));
  const split = (n: number): TinySplit => {
    const x = new Float32Array(n * 4);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.int(classes);
      for (let j = 0; j < 4; j++) x[i * 4 + j] = centres[y[i]][j] + rng.normal() * 0.7;
    }
    return { x, y, count: n };
  };
  return { train: split(count), val: split(24), test: split(40) };
}

/** Batches of a tiny split, shuffled with `shuffleSeed` when given; last partial batch kept. */
export function* tinyBatches(split: TinySplit, batchSize: number, shuffleSeed?: number): Generator<Batch> {
  const order = shuffleSeed === undefined ? Int32Array.from({ length: split.count }, (_, i) => i) : new Rng(shuffleSeed).permutation(split.count);
  for (let start = 0; start < split.count; start += batchSize) {
    const rows = order.slice(start, Math.min(split.count, start + batchSize));
    const x = new Float32Array(rows.length * 4);
    const y = new Int32Array(rows.length);
    rows.forEach((r, i) => {
      x.set(split.x.subarray(r * 4, r * 4 + 4), i * 4);
      y[i] = split.y[r];
    });
    yield { x: tf.tensor4d(x, [rows.length, 2, 2, 1]), y: tf.tensor1d(y, 'int32'), rows };
  }
}
