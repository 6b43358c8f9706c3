/**
 * The optimizers' update rules as fused lane-wise kernels. Each performs exactly the float32
 * operations, in the same order, as the tensor-op rule in src/train (adam.ts, sgd.ts), so the
 * results are bit-identical to it (wasm SIMD has no fused multiply-add; every op rounds once).
 * Like those rules, they store a moment or momentum below the smallest normal float32 as +0
 * (see `flushSubnormal` in src/train/optimizer.ts).
 */
import type { LanewiseKernel } from './lanewise-wat';

/** Sets $grad: g + W·wd with the `decay` option, else g (the tensor rules' order). */
function decayedGradient(decay: boolean): string {
  return `(local.set $grad ${decay ? '(f32x4.add (local.get $g) (f32x4.mul (local.get $w) (local.get $wd)))' : '(local.get $g)'})`;
}

/**
 * WAT statement: `$name` ← +0 where |$name| < 2^−126 (a subnormal or ±0), else unchanged (NaN
 * kept): the kernels' form of `flushSubnormal` in src/train/optimizer.ts.
 */
export function flushSubnormalStatement(name: string): string {
  return `(local.set $${name} (v128.andnot (local.get $${name})
        (f32x4.lt (f32x4.abs (local.get $${name})) (v128.const i32x4 0x00800000 0x00800000 0x00800000 0x00800000))))`;
}

/** The v128 locals one Adam update reads and writes, and its per-parameter scalars. */
export interface AdamLocals {
  readonly w: string;
  readonly g: string;
  readonly m: string;
  readonly v: string;
  readonly outW: string;
  readonly outM: string;
  readonly outV: string;
  /** Scratch local for the decayed gradient. */
  readonly grad: string;
  /** Splatted 1/√(1−β2^t) and lr/(1−β1^t) of this parameter. */
  readonly invCorrection2: string;
  readonly stepSize: string;
}

/**
 * WAT statements of one Adam update over v128 locals (shared scalars $wd, $beta1,
 * $one_minus_beta1, $beta2, $one_minus_beta2, $epsilon): the rule of {@link ADAM_KERNEL}.
 */
export function adamStatements(l: AdamLocals, decay: boolean): string {
  const get = (name: string): string => `(local.get $${name})`;
  const grad = decay ? `(f32x4.add ${get(l.g)} (f32x4.mul ${get(l.w)} (local.get $wd)))` : get(l.g);
  return `(local.set $${l.grad} ${grad})
      (local.set $${l.outM} (f32x4.add (f32x4.mul ${get(l.m)} (local.get $beta1)) (f32x4.mul ${get(l.grad)} (local.get $one_minus_beta1))))
      (local.set $${l.outV} (f32x4.add (f32x4.mul ${get(l.v)} (local.get $beta2))
        (f32x4.mul (f32x4.mul ${get(l.grad)} ${get(l.grad)}) (local.get $one_minus_beta2))))
      ${flushSubnormalStatement(l.outM)}
      ${flushSubnormalStatement(l.outV)}
      (local.set $${l.outW} (f32x4.sub ${get(l.w)} (f32x4.mul
        (f32x4.div ${get(l.outM)} (f32x4.add (f32x4.mul (f32x4.sqrt ${get(l.outV)}) ${get(l.invCorrection2)}) (local.get $epsilon)))
        ${get(l.stepSize)})))`;
}

/**
 * Adam (PyTorch semantics): g ← g + wd·W (option `decay`); m ← m·β1 + g·(1−β1);
 * v ← v·β2 + g²·(1−β2) (each moment flushed when subnormal); W ← W − (m / (√v · (1/c2) + ε))·stepSize.
 */
export const ADAM_KERNEL: LanewiseKernel = {
  name: 'adam',
  inputs: ['w', 'g', 'm', 'v'],
  outputs: [
    { name: 'w', keep: 'w' },
    { name: 'm', keep: 'm' },
    { name: 'v', keep: 'v' },
  ],
  ints: [],
  options: ['decay'],
  scalars: ['wd', 'beta1', 'one_minus_beta1', 'beta2', 'one_minus_beta2', 'inv_correction2', 'epsilon', 'step_size'],
  locals: ['grad'],
  body: ({ decay }) => adamStatements({
    w: 'w', g: 'g', m: 'm', v: 'v', outW: 'out_w', outM: 'out_m', outV: 'out_v', grad: 'grad',
    invCorrection2: 'inv_correction2', stepSize: 'step_size',
  }, decay),
};

/** SGD with momentum: g ← g + wd·W (option `decay`); b ← b·μ + g (flushed when subnormal); W ← W − b·lr. */
export const SGD_MOMENTUM_KERNEL: LanewiseKernel = {
  name: 'sgd_momentum',
  inputs: ['w', 'g', 'b'],
  outputs: [
    { name: 'w', keep: 'w' },
    { name: 'b', keep: 'b' },
  ],
  ints: [],
  options: ['decay'],
  scalars: ['wd', 'momentum', 'lr'],
  locals: ['grad'],
  body: ({ decay }) => `${decayedGradient(decay)}
      (local.set $out_b (f32x4.add (f32x4.mul (local.get $b) (local.get $momentum)) (local.get $grad)))
      ${flushSubnormalStatement('out_b')}
      (local.set $out_w (f32x4.sub (local.get $w) (f32x4.mul (local.get $out_b) (local.get $lr))))`,
};

/** Plain SGD: g ← g + wd·W (option `decay`); W ← W − g·lr. */
export const SGD_KERNEL: LanewiseKernel = {
  name: 'sgd',
  inputs: ['w', 'g'],
  outputs: [{ name: 'w', keep: 'w' }],
  ints: [],
  options: ['decay'],
  scalars: ['wd', 'lr'],
  locals: ['grad'],
  body: ({ decay }) => `${decayedGradient(decay)}
      (local.set $out_w (f32x4.sub (local.get $w) (f32x4.mul (local.get $grad) (local.get $lr))))`,
};
