/**
 * ReLU on wasm as fused SIMD passes on the calling thread. Forward: y = x ≤ 0 ? +0 : x (the cpu
 * backend's rule, NaN kept), registered as the wasm `Relu` kernel (wasm-kernels/relu.ts):
 * stock tfjs-backend-wasm runs it on XNNPACK's thread pool, whose sleeping workers took about
 * 0.15 ms to wake for each of an MLP step's [64, 100] activations (CPU profile), 25× the
 * work itself.
 *
 * Gradient: dx = dy · (x > 0 ? 1 : 0), the same float32
 * products as tfjs's own gradient `mul(dy, cast(step(x), 'float32'))`, which runs three
 * full-size kernels (Step, Cast, Multiply) per ReLU on every backward pass. Other backends keep
 * tfjs's formula.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LanewiseKernel } from './lanewise-wat';

/** `relu(x, outY, mask = 0, n)`: y = x ≤ 0 ? +0 : x (NaN kept), as the cpu backend (Math.max(0, x)). */
export const RELU_KERNEL: LanewiseKernel = {
  name: 'relu',
  inputs: ['x'],
  outputs: [{ name: 'y', keep: 'x' }],
  ints: [],
  options: [],
  scalars: [],
  body: () => `(local.set $out_y (v128.andnot (local.get $x) (f32x4.le (local.get $x) (v128.const f32x4 0 0 0 0))))`,
};

/** `relu_grad(dy, x, outDx, mask = 0, n)`: dx = dy · (x > 0 ? 1 : 0). */
export const RELU_GRAD_KERNEL: LanewiseKernel = {
  name: 'relu_grad',
  inputs: ['dy', 'x'],
  outputs: [{ name: 'dx', keep: 'dy' }],
  ints: [],
  options: [],
  scalars: [],
  body: () => `(local.set $out_dx (f32x4.mul (local.get $dy)
        (v128.and (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))))`,
};

/**
 * Registers ReLU's gradient: `fused(dy, x)` when it returns a tensor (wasm with the fused
 * kernels), else tfjs's formula.
 */
export function _registerReluGradient(fused: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor | null): void {
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const grad = dy as tf.Tensor;
      return { x: () => fused(grad, x) ?? tf.mul(grad, tf.cast(tf.step(x), 'float32')) };
    },
  });
}
