/**
 * Binary weight masks: the `Mask` type, conversion to tensors for `W ⊙ m`, set logic and
 * density.
 *
 * Storage: a {@link Mask} lives on the host as one `Uint8Array` of 0/1 per maskable parameter,
 * keyed by parameter name (`conv1/kernel`), entries in row-major order of the parameter's
 * shape — cheap bit logic, counting and serialisation, and the same layout as `HostMasks` of
 * src/metrics (mask codec, CAP). For the forward pass convert it once with
 * {@link maskTensors} (float32 0/1 tensors of the parameter shapes) and reuse the tensors:
 * a new weight tensor per step makes XNNPACK re-pack weights (perf-notes, "Masking cost").
 * Vocabulary [methods.md §0, P4]: density = kept fraction, sparsity = 1 − density.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectSameShape, ShapeMismatchError, UnknownNameError } from '../errors';
import type { ParamInfo, ParamKind } from '../models/types';

/** Binary mask per maskable parameter: name → one 0/1 byte per weight (row-major). */
export type Mask = Readonly<Record<string, Uint8Array>>;

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Names of the maskable parameters of the given kinds, in network order, e.g. conv only for
 * lifelong-tickets pruning [methods.md §2.4].
 * @example
 * ```ts
 * maskableNames(net.paramInfo, ['conv']); // ['conv1/kernel', 'layer1.0.conv1/kernel', ...]
 * ```
 */
export function maskableNames(infos: readonly ParamInfo[], kinds: readonly ParamKind[] = ['conv', 'dense']): string[] {
  return infos.filter((p) => p.maskable && kinds.includes(p.kind)).map((p) => p.name);
}

/**
 * A mask of all ones (or all zeros) over the maskable parameters of the given kinds.
 * @example
 * ```ts
 * const everything = fullMask(net.paramInfo); // density 1
 * ```
 */
export function fullMask(infos: readonly ParamInfo[], value: 0 | 1 = 1, kinds: readonly ParamKind[] = ['conv', 'dense']): Mask {
  const out: Record<string, Uint8Array> = {};
  for (const p of infos) if (p.maskable && kinds.includes(p.kind)) out[p.name] = new Uint8Array(numel(p.shape)).fill(value);
  return out;
}

function sameLayers(fn: string, a: Mask, b: Mask): void {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k) => !(k in b))) {
    throw new ShapeMismatchError(`${fn}: the masks cover different parameters: [${ka.join(', ')}] vs [${kb.join(', ')}]. Combine masks of the same network.`);
  }
  for (const k of ka) {
    if (a[k].length !== b[k].length) {
      throw new ShapeMismatchError(`${fn}: mask for "${k}" has ${a[k].length} entries in the first mask and ${b[k].length} in the second.`);
    }
  }
}

function combine(fn: string, a: Mask, b: Mask, op: (x: number, y: number) => number): Mask {
  sameLayers(fn, a, b);
  const out: Record<string, Uint8Array> = {};
  for (const k of Object.keys(a)) {
    const x = a[k];
    const y = b[k];
    const z = new Uint8Array(x.length);
    for (let i = 0; i < z.length; i++) z[i] = op(x[i], y[i]);
    out[k] = z;
  }
  return out;
}

/**
 * Element-wise OR, e.g. WSN's union `M_t = M_{t−1} ∨ m_t` [methods.md §1.6].
 * @throws ShapeMismatchError when the masks cover different parameters or sizes
 * @example
 * ```ts
 * maskOr({ w: Uint8Array.of(1, 0, 0) }, { w: Uint8Array.of(0, 0, 1) }); // { w: [1, 0, 1] }
 * ```
 */
export function maskOr(a: Mask, b: Mask): Mask {
  return combine('maskOr', a, b, (x, y) => x | y);
}

/**
 * Element-wise AND.
 * @throws ShapeMismatchError when the masks cover different parameters or sizes
 * @example
 * ```ts
 * maskAnd({ w: Uint8Array.of(1, 1, 0) }, { w: Uint8Array.of(0, 1, 1) }); // { w: [0, 1, 0] }
 * ```
 */
export function maskAnd(a: Mask, b: Mask): Mask {
  return combine('maskAnd', a, b, (x, y) => x & y);
}

/**
 * Element-wise NOT, e.g. the free (not yet used) weights `¬M_t`.
 * @example
 * ```ts
 * maskNot({ w: Uint8Array.of(1, 0) }); // { w: [0, 1] }
 * ```
 */
export function maskNot(a: Mask): Mask {
  const out: Record<string, Uint8Array> = {};
  for (const [k, x] of Object.entries(a)) out[k] = x.map((v) => 1 - v);
  return out;
}

/** Kept and total weights of one layer or of a whole mask. */
export interface MaskCount {
  readonly kept: number;
  readonly total: number;
  /** kept / total (0–1; 0 for an empty mask). */
  readonly density: number;
  /** 1 − density, computed as (total − kept) / total. */
  readonly sparsity: number;
}

function count(bits: Uint8Array): number {
  let kept = 0;
  for (let i = 0; i < bits.length; i++) kept += bits[i];
  return kept;
}

function toCount(kept: number, total: number): MaskCount {
  if (total === 0) return { kept, total, density: 0, sparsity: 1 };
  return { kept, total, density: kept / total, sparsity: (total - kept) / total };
}

/**
 * Kept count, density and sparsity of every layer of a mask.
 * @example
 * ```ts
 * layerDensities({ w: Uint8Array.of(1, 0, 0, 0) }).w.density; // 0.25
 * ```
 */
export function layerDensities(mask: Mask): Record<string, MaskCount> {
  const out: Record<string, MaskCount> = {};
  for (const [k, bits] of Object.entries(mask)) out[k] = toCount(count(bits), bits.length);
  return out;
}

/**
 * Kept count, density and sparsity over all weights of a mask (or of the named layers only,
 * e.g. conv only).
 * @throws UnknownNameError for a name the mask lacks
 * @example
 * ```ts
 * globalDensity({ a: Uint8Array.of(1, 1), b: Uint8Array.of(0, 0, 0, 1) }).density; // 0.5
 * ```
 */
export function globalDensity(mask: Mask, names: readonly string[] = Object.keys(mask)): MaskCount {
  let kept = 0;
  let total = 0;
  for (const k of names) {
    const bits = mask[k];
    if (!bits) throw new UnknownNameError(`globalDensity: the mask has no layer "${k}". Its layers: ${Object.keys(mask).join(', ')}.`);
    kept += count(bits);
    total += bits.length;
  }
  return toCount(kept, total);
}

/**
 * A float32 0/1 tensor of `shape` from mask bits. Caller disposes.
 * @throws ShapeMismatchError when the sizes differ
 * @example
 * ```ts
 * maskToTensor(Uint8Array.of(1, 0, 0, 1), [2, 2]); // [[1, 0], [0, 1]]
 * ```
 */
export function maskToTensor(bits: Uint8Array, shape: readonly number[], name = 'mask'): tf.Tensor {
  if (bits.length !== numel(shape)) {
    throw new ShapeMismatchError(`maskToTensor: "${name}" has ${bits.length} entries; the shape [${shape.join(',')}] needs ${numel(shape)}.`);
  }
  return tf.tensor(Float32Array.from(bits), [...shape], 'float32');
}

/**
 * Mask bits (entry ≠ 0 → 1) read from a tensor.
 * @example
 * ```ts
 * maskFromTensor(tf.tensor([0, 0.5, -2])); // Uint8Array [0, 1, 1]
 * ```
 */
export function maskFromTensor(t: tf.Tensor): Uint8Array {
  const values = t.dataSync();
  const bits = new Uint8Array(values.length);
  for (let i = 0; i < bits.length; i++) bits[i] = values[i] !== 0 ? 1 : 0;
  return bits;
}

/**
 * Converts a whole mask to float32 0/1 tensors of the parameter shapes, once, for reuse in
 * many forward passes. Caller disposes the tensors.
 * @throws UnknownNameError for a mask layer the network lacks; ShapeMismatchError on a size mismatch
 * @example
 * ```ts
 * const m = maskTensors(mask, net.paramInfo);
 * const y = net.logits(x, 0, { training: false, weight: maskedWeight(m) });
 * ```
 */
export function maskTensors(mask: Mask, infos: readonly ParamInfo[]): Map<string, tf.Tensor> {
  const byName = new Map(infos.map((p) => [p.name, p]));
  const out = new Map<string, tf.Tensor>();
  for (const [name, bits] of Object.entries(mask)) {
    const info = byName.get(name);
    if (!info) {
      out.forEach((t) => t.dispose());
      throw new UnknownNameError(`maskTensors: the network has no parameter "${name}". Build masks with fullMask(net.paramInfo).`);
    }
    out.set(name, maskToTensor(bits, info.shape, name));
  }
  return out;
}

/**
 * `W ⊙ m`: the weight with masked entries zeroed. `mask` is bits (row-major) or a 0/1 tensor of
 * the weight's shape. Returns a new tensor; caller disposes.
 * @throws ShapeMismatchError when the mask does not fit the weight
 * @example
 * ```ts
 * applyMask(tf.tensor2d([[1, 2], [3, 4]]), Uint8Array.of(1, 0, 0, 1), 'fc1/kernel'); // [[1, 0], [0, 4]]
 * ```
 */
export function applyMask(weight: tf.Tensor, mask: Uint8Array | tf.Tensor, name = 'weight'): tf.Tensor {
  if (mask instanceof Uint8Array) {
    if (mask.length !== weight.size) {
      throw new ShapeMismatchError(`applyMask: mask for "${name}" has ${mask.length} entries; the weight [${weight.shape.join(',')}] has ${weight.size}.`);
    }
    return tf.tidy(() => tf.mul(weight, maskToTensor(mask, weight.shape, name)));
  }
  expectSameShape('applyMask', `mask for "${name}"`, mask.shape, weight.shape);
  return tf.mul(weight, mask);
}

/**
 * A forward-pass `weight` hook that multiplies each masked parameter by its mask tensor and
 * passes the others (heads, norms, unmasked layers) through unchanged.
 * @example
 * ```ts
 * const m = maskTensors(mask, net.paramInfo);
 * net.logits(x, task, { training: false, weight: maskedWeight(m) });
 * ```
 */
export function maskedWeight(masks: ReadonlyMap<string, tf.Tensor>): (info: ParamInfo, variable: tf.Variable) => tf.Tensor {
  return (info, variable) => {
    const m = masks.get(info.name);
    return m ? tf.mul(variable, m) : variable;
  };
}

