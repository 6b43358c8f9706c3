/**
 * WSN's layer-wise top-c subnetwork selection (Kang et al., ICML 2022, §3.2, Eq. 3; official
 * code `percentile()` + `GetSubnetFaster`) [methods.md §1.3–1.4]:
 * - rank index k = 1 + round((1 − c)(n − 1)) (1-based) over a = |s| flattened, n = numel;
 * - threshold τ = k-th smallest a; mask m = 1 where a ≥ τ (ties at τ are kept, so at least
 *   n − k + 1 ≈ c·n entries);
 * - backward: straight-through, the selection is the identity to |s|, so
 *   ∂L/∂s = sign(s) ⊙ ∂L/∂m and, with W_eff = W ⊙ m, ∂L/∂s = sign(s) ⊙ W ⊙ ∂L/∂W_eff.
 * The threshold is found by a two-pass radix select over |s| on the host (no sort, P2); in
 * training steps by a one-pass windowed select around the previous step's τ (top-c-window.ts),
 * reading and writing the backend's memory directly where it can (wasm heap, cpu arrays), with
 * large layers split over the host threads. {@link topCMaskedWeight} fuses the selection with
 * W ⊙ m and both gradients into one host pass each way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, InvalidArgumentError, ShapeMismatchError } from '../errors';
import { roundHalfEven } from './round-half-even';
import { selectKth } from './select-kth';
import { _hasHostArrays, _hostMapFloat32 } from './_host-arrays';
import { _topCForTensor, _topCMaskedWeightGrad } from './top-c-window';

function checkFloat(fn: string, what: string, x: tf.Tensor): void {
  if (x.dtype !== 'float32') {
    throw new InvalidArgumentError(`${fn}: ${what} must be float32; got ${x.dtype}.${what === 'score' ? ' Initialise scores with kaimingUniform().' : ''}`);
  }
}

function checkKeep(fn: string, keepFraction: number): void {
  expectInRange(fn, 'keepFraction', keepFraction, {
    min: 0,
    max: 1,
    minInclusive: false,
    hint: 'keepFraction is the kept share c (WSN’s --sparsity flag), e.g. 0.03 … 0.5.',
  });
}

/**
 * WSN's 1-based rank k = 1 + round((1 − c)(n − 1)) of the threshold among n sorted values.
 * @throws InvalidArgumentError for c outside (0, 1] or n < 1
 * @example
 * ```ts
 * topCRank(78400, 0.03); // 76048: keeps 78400 − 76048 + 1 = 2353 weights
 * ```
 */
export function topCRank(n: number, keepFraction: number): number {
  checkKeep('topCRank', keepFraction);
  expectInRange('topCRank', 'n', n, { min: 1, integer: true });
  return 1 + roundHalfEven((1 - keepFraction) * (n - 1));
}

/**
 * The top-c threshold τ of non-negative values (e.g. |scores|): their k-th smallest, with k
 * from {@link topCRank}. Does not modify `magnitudes`; costs two linear passes.
 * @example
 * ```ts
 * topCThreshold(Float32Array.of(0.1, 0.4, 0.3, 0.2), 0.5); // 0.3 (k = 1 + round(1.5) = 3)
 * ```
 */
export function topCThreshold(magnitudes: Float32Array, keepFraction: number): number {
  return selectKth(magnitudes, topCRank(magnitudes.length, keepFraction));
}

/**
 * The host top-c mask of scores: 1 where |s| ≥ τ (ties kept), e.g. WSN's stored task mask
 * m_t from the restored scores [methods.md §1.6].
 * @example
 * ```ts
 * topCMask(Float32Array.of(-0.4, 0.1, 0.3, -0.2), 0.5); // Uint8Array [1, 0, 1, 0]
 * ```
 */
export function topCMask(scores: Float32Array, keepFraction: number): Uint8Array {
  const magnitudes = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) magnitudes[i] = Math.abs(scores[i]);
  const tau = topCThreshold(magnitudes, keepFraction);
  const bits = new Uint8Array(magnitudes.length);
  for (let i = 0; i < bits.length; i++) bits[i] = magnitudes[i] >= tau ? 1 : 0;
  return bits;
}

/**
 * The differentiable top-c mask of a score tensor: forward the 0/1 float32 mask of
 * {@link topCMask}, backward the straight-through gradient ∂L/∂s = sign(s) ⊙ ∂L/∂m. Use it as
 * `W_eff = W ⊙ topCMaskSTE(s, c)` inside a forward `weight` hook. Selects τ on the host in one
 * pass over the scores (no copy on wasm and cpu), reusing the last τ of the same `score` tensor
 * (e.g. a tf.Variable) as a bracket; the result is exact either way. The result belongs to the
 * caller's tidy scope.
 * @throws InvalidArgumentError for c outside (0, 1] or a non-float score
 * @example
 * ```ts
 * const weight = (info, w) => info.maskable ? tf.mul(w, topCMaskSTE(scores.get(info.name)!, 0.1)) : w;
 * ```
 */
export function topCMaskSTE(score: tf.Tensor, keepFraction: number): tf.Tensor {
  checkKeep('topCMaskSTE', keepFraction);
  checkFloat('topCMaskSTE', 'score', score);
  const forward = (s: tf.Tensor, save: tf.GradSaveFunc) => {
    const k = topCRank(s.size, keepFraction);
    const [mask] = _hostMapFloat32([s], 1, s.shape, ([bits], [out]) => _topCForTensor(score, bits, out, null, k));
    save([s]);
    return {
      value: mask,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sign(saved[0])),
    };
  };
  // customGrad's declared type mixes tensors and the save function in one rest parameter.
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(score);
}

/**
 * WSN's masked weight W_eff = W ⊙ m, m = top-c of |s| (the rule of {@link topCMaskSTE}: rank k
 * from {@link topCRank}, ties at τ kept, the last τ of the same `score` tensor reused as a
 * bracket), with WSN's gradients ∂L/∂W = m ⊙ ∂L/∂W_eff and the straight-through
 * ∂L/∂s = sign(s) ⊙ W ⊙ ∂L/∂W_eff. On wasm and cpu the forward is one host pass writing W_eff
 * (no mask tensor, no multiply) and the backward one pass writing both gradients, bit-identical
 * to `tf.mul(weight, topCMaskSTE(score, c))` and its gradients for finite values (sign(s) as
 * the backend's Sign kernel gives it); other backends compute exactly that. Layers of a million
 * weights or more are split over the host threads on threaded wasm. The result belongs to the
 * caller's tidy scope.
 * @throws InvalidArgumentError for c outside (0, 1] or a non-float weight or score
 * @throws ShapeMismatchError when weight and score differ in shape
 * @example
 * ```ts
 * const weight = (info, w) => info.maskable ? topCMaskedWeight(w, scores.get(info.name)!, 0.1) : w;
 * ```
 */
export function topCMaskedWeight(weight: tf.Tensor, score: tf.Tensor, keepFraction: number): tf.Tensor {
  checkKeep('topCMaskedWeight', keepFraction);
  checkFloat('topCMaskedWeight', 'weight', weight);
  checkFloat('topCMaskedWeight', 'score', score);
  if (weight.shape.length !== score.shape.length || weight.shape.some((d, i) => d !== score.shape[i])) {
    throw new ShapeMismatchError(
      `topCMaskedWeight: weight has shape [${weight.shape.join(',')}] but score has shape [${score.shape.join(',')}]; a score tensor has its weight's shape.`,
    );
  }
  if (!_hasHostArrays()) return tf.mul(weight, topCMaskSTE(score, keepFraction));
  const forward = (w: tf.Tensor, s: tf.Tensor, save: tf.GradSaveFunc) => {
    const { masked, tauKey } = _topCMaskedWeightForward(w, s, score, keepFraction);
    save([w, s]);
    return {
      value: masked,
      gradFunc: (dy: tf.Tensor, [wSaved, sSaved]: tf.Tensor[]) => _topCMaskedWeightGrads(dy, wSaved, sSaved, tauKey),
    };
  };
  // customGrad's declared type mixes tensors and the save function in one rest parameter.
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(weight, score);
}

/**
 * The forward pass of {@link topCMaskedWeight} without a gradient record (wasm and cpu): W ⊙ m
 * written in one pass, and the key of τ (|s| bits) that rebuilds m. `scoreTensor` keys the
 * window bracket (the variable behind `s`). The result belongs to the caller's tidy scope.
 * @internal
 */
export function _topCMaskedWeightForward(
  w: tf.Tensor, s: tf.Tensor, scoreTensor: tf.Tensor, keepFraction: number,
): { masked: tf.Tensor; tauKey: number } {
  const k = topCRank(s.size, keepFraction);
  let tauKey = 0;
  const [masked] = _hostMapFloat32([s, w], 1, s.shape, ([sBits, wBits], [out]) => {
    tauKey = _topCForTensor(scoreTensor, sBits, out, wBits, k);
  });
  return { masked, tauKey };
}

/**
 * The backward pass of {@link topCMaskedWeight}: [∂L/∂W, ∂L/∂s] = [dy ⊙ m, (dy ⊙ W) ⊙ sign(s)]
 * with m = |s| ≥ τ (τ by its key). One host pass on wasm and cpu, tensor ops elsewhere; the same
 * numbers either way. Results belong to the caller's tidy scope.
 * @internal
 */
export function _topCMaskedWeightGrads(dy: tf.Tensor, w: tf.Tensor, s: tf.Tensor, tauKey: number): tf.Tensor[] {
  if (!_hasHostArrays()) {
    const tau = new Float32Array(Int32Array.of(tauKey).buffer)[0];
    const mask = tf.cast(tf.greaterEqual(tf.abs(s), tau), 'float32');
    return [tf.mul(dy, mask), tf.mul(tf.mul(dy, w), tf.sign(s))];
  }
  return _hostMapFloat32([dy, w, s], 2, s.shape, ([dyBits, wBits, sBits], [dw, ds]) =>
    _topCMaskedWeightGrad(dyBits, wBits, sBits, dw, ds, tauKey, tf.getBackend()),
  );
}
