/**
 * WSN's top-c passes (src/pruning/top-c-window.ts) as SIMD kernels: the same integer logic on
 * |s| keys (float32 bits with the sign cleared), four lanes at a time, so the results are
 * bit-identical to the JS passes they stand in for on wasm.
 */
import type { LanewiseKernel } from './lanewise-wat';
import { adamStatements } from './optimizer-kernels';

const SPLAT = (value: string): string => `(v128.const i32x4 ${value} ${value} ${value} ${value})`;
const ABS = SPLAT('0x7fffffff');
const SIGN = SPLAT('0x80000000');
const ONE = SPLAT('0x3f800000');

/** Entries per block of the window pass: the in-window test branches once per block. */
const WINDOW_BLOCK = 16;

/**
 * The unrolled vectors of one block of the window pass (`weighted`: out = w or w's sign bit,
 * else 1.0 or 0): counts keys below lo into $below, writes the output and clears lanes of
 * $outside for keys inside [lo, hi].
 */
function windowBlock(weighted: boolean): string {
  const vectors = [];
  for (let offset = 0; offset < 4 * WINDOW_BLOCK; offset += 16) {
    const kept = weighted
      ? `(v128.and (v128.load offset=${offset} (i32.add (local.get $w) (local.get $at))) (v128.or (local.get $gt) ${SIGN}))`
      : `(v128.and (local.get $gt) ${ONE})`;
    vectors.push(`(local.set $key (v128.and (v128.load offset=${offset} (i32.add (local.get $s) (local.get $at))) ${ABS}))
        (local.set $lt (i32x4.lt_s (local.get $key) (local.get $lov)))
        (local.set $gt (i32x4.gt_s (local.get $key) (local.get $hiv)))
        (local.set $below (i32x4.sub (local.get $below) (local.get $lt)))
        (v128.store offset=${offset} (i32.add (local.get $out) (local.get $at)) ${kept})
        (local.set $outside (v128.and (local.get $outside) (v128.or (local.get $lt) (local.get $gt))))`);
  }
  return `(block $blocks_done (loop $block
        (br_if $blocks_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $outside (v128.const i32x4 -1 -1 -1 -1))
        ${vectors.join('\n        ')}
        (if (i32.eqz (i32x4.all_true (local.get $outside)))
          (then (call $collect_range (local.get $s) (local.get $i) (i32.add (local.get $i) (i32.const ${WINDOW_BLOCK})) (local.get $lo) (local.get $hi))))
        (local.set $i (i32.add (local.get $i) (i32.const ${WINDOW_BLOCK})))
        (br $block)))`;
}

/**
 * `topc_window(s, w, out, n, lo, hi, capacity, keys, index, counts)`: the window pass. For each
 * entry: key < lo counts as below; key > hi is kept (out = 1.0, or w when `w` ≠ 0), else
 * dropped (0, or w's sign bit alone); keys in [lo, hi] are also collected in index order (the
 * first `capacity` of them: key into `keys`, position into `index`, int32). Writes
 * [below, inside] to `counts`. Blocks of {@link WINDOW_BLOCK} entries are tested for window
 * entries once (few blocks have any) and only those are scanned again to collect them.
 */
const TOP_C_WINDOW = `
  (global $inside (mut i32) (i32.const 0))
  (global $capacity (mut i32) (i32.const 0))
  (global $keys (mut i32) (i32.const 0))
  (global $index (mut i32) (i32.const 0))
  (func $collect (param $key i32) (param $i i32)
    (if (i32.lt_u (global.get $inside) (global.get $capacity)) (then
      (i32.store (i32.add (global.get $keys) (i32.shl (global.get $inside) (i32.const 2))) (local.get $key))
      (i32.store (i32.add (global.get $index) (i32.shl (global.get $inside) (i32.const 2))) (local.get $i))))
    (global.set $inside (i32.add (global.get $inside) (i32.const 1))))
  (func $collect_range (param $s i32) (param $i i32) (param $end i32) (param $lo i32) (param $hi i32) (local $k i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $k (i32.and (i32.load (i32.add (local.get $s) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 0x7fffffff)))
      (if (i32.and (i32.ge_s (local.get $k) (local.get $lo)) (i32.le_s (local.get $k) (local.get $hi)))
        (then (call $collect (local.get $k) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "topc_window") (param $s i32) (param $w i32) (param $out i32) (param $n i32) (param $lo i32) (param $hi i32)
    (param $capacity i32) (param $keys i32) (param $index i32) (param $counts i32)
    (local $i i32) (local $end i32) (local $at i32) (local $k i32) (local $below_tail i32)
    (local $key v128) (local $lt v128) (local $gt v128) (local $outside v128) (local $below v128) (local $lov v128) (local $hiv v128)
    (global.set $inside (i32.const 0))
    (global.set $capacity (local.get $capacity))
    (global.set $keys (local.get $keys))
    (global.set $index (local.get $index))
    (local.set $lov (i32x4.splat (local.get $lo)))
    (local.set $hiv (i32x4.splat (local.get $hi)))
    (local.set $end (i32.and (local.get $n) (i32.const -${WINDOW_BLOCK})))
    (if (local.get $w) (then ${windowBlock(true)}) (else ${windowBlock(false)}))
    (block $tail_done (loop $tail
      (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $k (i32.and (i32.load (i32.add (local.get $s) (local.get $at))) (i32.const 0x7fffffff)))
      (local.set $below_tail (i32.add (local.get $below_tail) (i32.lt_s (local.get $k) (local.get $lo))))
      (i32.store (i32.add (local.get $out) (local.get $at)) (if (result i32) (local.get $w)
        (then (i32.and (i32.load (i32.add (local.get $w) (local.get $at)))
          (select (i32.const -1) (i32.const 0x80000000) (i32.gt_s (local.get $k) (local.get $hi)))))
        (else (select (i32.const 0x3f800000) (i32.const 0) (i32.gt_s (local.get $k) (local.get $hi))))))
      (if (i32.and (i32.ge_s (local.get $k) (local.get $lo)) (i32.le_s (local.get $k) (local.get $hi)))
        (then (call $collect (local.get $k) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
    (i32.store (local.get $counts) (i32.add (local.get $below_tail) (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $below)) (i32x4.extract_lane 1 (local.get $below)))
      (i32.add (i32x4.extract_lane 2 (local.get $below)) (i32x4.extract_lane 3 (local.get $below))))))
    (i32.store offset=4 (local.get $counts) (global.get $inside)))`;

/** The WAT functions that are not lane-wise kernels. */
export const TOP_C_FUNCTIONS: readonly string[] = [TOP_C_WINDOW];

const KEEP = `(i32x4.ge_s (v128.and (local.get $s) ${ABS}) (i32x4.splat (local.get $tau_key)))`;

/** `topc_mask_threshold(s, out, 0, n, tauKey)`: out = 1.0 where key ≥ τ, else 0. */
export const TOP_C_MASK_THRESHOLD: LanewiseKernel = {
  name: 'topc_mask_threshold',
  inputs: ['s'],
  outputs: [{ name: 'out', keep: 's' }],
  ints: ['tau_key'],
  options: [],
  scalars: [],
  body: () => `(local.set $out_out (v128.and ${KEEP} ${ONE}))`,
};

/** `topc_weight_threshold(s, w, out, 0, n, tauKey)`: out = w where key ≥ τ, else w's sign bit (w·0). */
export const TOP_C_WEIGHT_THRESHOLD: LanewiseKernel = {
  name: 'topc_weight_threshold',
  inputs: ['s', 'w'],
  outputs: [{ name: 'out', keep: 'w' }],
  ints: ['tau_key'],
  options: [],
  scalars: [],
  body: () => `(local.set $out_out (v128.and (local.get $w) (v128.or ${KEEP} ${SIGN})))`,
};

/**
 * `topc_masked_weight_grad(dy, w, s, dw, ds, 0, n, tauKey, signFloor)`: dw = dy where key ≥ τ,
 * else dy's sign bit (dy·0); ds = (dy·w)·sign(s), with sign(s) = 0 for keys below `signFloor`
 * and for NaN (as the backend's Sign kernel).
 */
export const TOP_C_MASKED_WEIGHT_GRAD: LanewiseKernel = {
  name: 'topc_masked_weight_grad',
  inputs: ['dy', 'w', 's'],
  outputs: [
    { name: 'dw', keep: 'dy' },
    { name: 'ds', keep: 'dy' },
  ],
  ints: ['tau_key', 'sign_floor'],
  options: [],
  scalars: [],
  locals: ['key'],
  body: () => `(local.set $key (v128.and (local.get $s) ${ABS}))
      (local.set $out_dw (v128.and (local.get $dy) (v128.or (i32x4.ge_s (local.get $key) (i32x4.splat (local.get $tau_key))) ${SIGN})))
      (local.set $out_ds (f32x4.mul (f32x4.mul (local.get $dy) (local.get $w))
        (v128.and (v128.or (v128.and (local.get $s) ${SIGN}) ${ONE})
          (v128.and (i32x4.ge_s (local.get $key) (i32x4.splat (local.get $sign_floor)))
            (i32x4.le_s (local.get $key) ${SPLAT('0x7f800000')})))))`,
};

/** The scalars of one Adam update (`adamStatements` with this parameter's step size). */
const ADAM_SCALARS = ['wd', 'beta1', 'one_minus_beta1', 'beta2', 'one_minus_beta2', 'epsilon', 'inv_correction2', 'step_size'];

/**
 * `adam_top_c_weight(dy, s, w, m, v, outW, outM, outV, mask, n, decay, tauKey, wd, β1, 1−β1, β2,
 * 1−β2, ε, 1/c2, stepSize)`: Adam on a WSN weight W from dy = ∂L/∂(W ⊙ m), its gradient
 * ∂W = dy ⊙ m (m = |s| key ≥ τ, as {@link TOP_C_MASKED_WEIGHT_GRAD}) made on the fly and never
 * written. Bit-identical to that kernel followed by `adam`.
 */
export const ADAM_TOP_C_WEIGHT_KERNEL: LanewiseKernel = {
  name: 'adam_top_c_weight',
  inputs: ['dy', 's', 'w', 'm', 'v'],
  outputs: [
    { name: 'w', keep: 'w' },
    { name: 'm', keep: 'm' },
    { name: 'v', keep: 'v' },
  ],
  ints: ['tau_key'],
  options: ['decay'],
  scalars: ADAM_SCALARS,
  locals: ['g', 'grad'],
  body: ({ decay }) => `(local.set $g (v128.and (local.get $dy)
        (v128.or (i32x4.ge_s (v128.and (local.get $s) ${ABS}) (i32x4.splat (local.get $tau_key))) ${SIGN})))
      ${adamStatements({ w: 'w', g: 'g', m: 'm', v: 'v', outW: 'out_w', outM: 'out_m', outV: 'out_v', grad: 'grad', invCorrection2: 'inv_correction2', stepSize: 'step_size' }, decay)}`,
};

/**
 * `adam_top_c_score(dy, w, s, m, v, outS, outM, outV, mask, n, decay, signFloor, wd, β1, 1−β1,
 * β2, 1−β2, ε, 1/c2, stepSize)`: Adam on a WSN score s from dy = ∂L/∂(W ⊙ m), its
 * straight-through gradient ∂s = (dy·W)·sign(s) (as {@link TOP_C_MASKED_WEIGHT_GRAD}) made on the
 * fly from the weight before its own update. Bit-identical to that kernel followed by `adam`.
 */
export const ADAM_TOP_C_SCORE_KERNEL: LanewiseKernel = {
  name: 'adam_top_c_score',
  inputs: ['dy', 'w', 's', 'm', 'v'],
  outputs: [
    { name: 's', keep: 's' },
    { name: 'm', keep: 'm' },
    { name: 'v', keep: 'v' },
  ],
  ints: ['sign_floor'],
  options: ['decay'],
  scalars: ADAM_SCALARS,
  locals: ['key', 'g', 'grad'],
  body: ({ decay }) => `(local.set $key (v128.and (local.get $s) ${ABS}))
      (local.set $g (f32x4.mul (f32x4.mul (local.get $dy) (local.get $w))
        (v128.and (v128.or (v128.and (local.get $s) ${SIGN}) ${ONE})
          (v128.and (i32x4.ge_s (local.get $key) (i32x4.splat (local.get $sign_floor)))
            (i32x4.le_s (local.get $key) ${SPLAT('0x7f800000')})))))
      ${adamStatements({ w: 's', g: 'g', m: 'm', v: 'v', outW: 'out_s', outM: 'out_m', outV: 'out_v', grad: 'grad', invCorrection2: 'inv_correction2', stepSize: 'step_size' }, decay)}`,
};
