/**
 * WebAssembly text of the per-channel kernels of batch-statistics normalisation over a
 * channels-last [rows, C] view of an NHWC tensor (rows = B·H·W): channel sums without the
 * transposes tf.mean needs on wasm, and the normalisation and its gradient as one SIMD pass
 * each. Sums accumulate in float64 (f64x2, two channels at a time), so a channel of 50 000
 * entries sums as accurately as the cpu backend's float64 loops.
 */

/**
 * `channel_moments(x, y, shift, rows, C, sumA, sumB)`: for every channel c, in float64,
 * sumA[c] += Σ_r (x[r,c] − shift[c]) and sumB[c] += Σ_r (x[r,c] − shift[c]) · Y[r,c], where
 * Y = y when `y` ≠ 0, else Y = x − shift. x, y float32; shift, sumA, sumB float64 [C].
 * Forward statistics: y = 0, shift = a first estimate of the mean (the shifted-data variance);
 * gradient statistics: x = dy, y = the normalised output, shift = 0.
 */
const CHANNEL_MOMENTS = `
  (func (export "channel_moments") (param $x i32) (param $y i32) (param $shift i32) (param $rows i32) (param $c i32)
    (param $sum_a i32) (param $sum_b i32)
    (local $r i32) (local $j i32) (local $pairs i32) (local $row i32) (local $yrow i32) (local $at8 i32)
    (local $d v128) (local $other v128) (local $ds f64) (local $os f64)
    (local.set $pairs (i32.and (local.get $c) (i32.const -2)))
    (block $rows_done (loop $next_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $c)) (i32.const 2))))
      (local.set $yrow (i32.add (local.get $y) (i32.shl (i32.mul (local.get $r) (local.get $c)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $pairs_done (loop $next_pair
        (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
        (local.set $at8 (i32.shl (local.get $j) (i32.const 3)))
        (local.set $d (f64x2.sub
          (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
          (v128.load (i32.add (local.get $shift) (local.get $at8)))))
        (local.set $other (if (result v128) (local.get $y)
          (then (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $yrow) (i32.shl (local.get $j) (i32.const 2))))))
          (else (local.get $d))))
        (v128.store (i32.add (local.get $sum_a) (local.get $at8))
          (f64x2.add (v128.load (i32.add (local.get $sum_a) (local.get $at8))) (local.get $d)))
        (v128.store (i32.add (local.get $sum_b) (local.get $at8))
          (f64x2.add (v128.load (i32.add (local.get $sum_b) (local.get $at8))) (f64x2.mul (local.get $d) (local.get $other))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $next_pair)))
      (if (i32.lt_u (local.get $pairs) (local.get $c)) (then
        (local.set $at8 (i32.shl (local.get $pairs) (i32.const 3)))
        (local.set $ds (f64.sub
          (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $pairs) (i32.const 2)))))
          (f64.load (i32.add (local.get $shift) (local.get $at8)))))
        (local.set $os (if (result f64) (local.get $y)
          (then (f64.promote_f32 (f32.load (i32.add (local.get $yrow) (i32.shl (local.get $pairs) (i32.const 2))))))
          (else (local.get $ds))))
        (f64.store (i32.add (local.get $sum_a) (local.get $at8))
          (f64.add (f64.load (i32.add (local.get $sum_a) (local.get $at8))) (local.get $ds)))
        (f64.store (i32.add (local.get $sum_b) (local.get $at8))
          (f64.add (f64.load (i32.add (local.get $sum_b) (local.get $at8))) (f64.mul (local.get $ds) (local.get $os))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $next_row))))`;

/** Loads of the operands `expr` uses: a, b per entry (offset $at), p, q, s per channel ($ch). */
function loads(expr: string, partial: boolean): string {
  const operands = [['a', 'at'], ['b', 'at'], ['p', 'ch'], ['q', 'ch'], ['s', 'ch']] as const;
  return operands
    .filter(([name]) => expr.includes(`(local.get $${name})`))
    .map(([name, offset]) => {
      const address = `(i32.add (local.get $p${name}) (local.get $${offset}))`;
      return `(local.set $${name} ${partial ? `(call $load_lanes ${address} (local.get $left))` : `(v128.load ${address})`})`;
    })
    .join('\n        ');
}

/**
 * A per-channel elementwise kernel over [rows, C]: `name(a, b, rows, C, p, q, s, out)` with
 * float32 arrays a, b, out [rows, C] and float32 per-channel vectors p, q, s [C]; `expr` is the
 * f32x4 expression of one vector of out from the locals $a, $b, $p, $q, $s (only those it uses
 * are loaded; pass any valid pointer for the others).
 */
function channelwise(name: string, expr: string): string {
  return `
  (func (export "${name}") (param $pa i32) (param $pb i32) (param $rows i32) (param $c i32)
    (param $pp i32) (param $pq i32) (param $ps i32) (param $pout i32)
    (local $r i32) (local $j i32) (local $quads i32) (local $rowbytes i32) (local $at i32) (local $ch i32) (local $left i32)
    (local $a v128) (local $b v128) (local $p v128) (local $q v128) (local $s v128)
    (local.set $quads (i32.and (local.get $c) (i32.const -4)))
    (local.set $left (i32.sub (local.get $c) (local.get $quads)))
    (block $rows_done (loop $next_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $rowbytes (i32.shl (i32.mul (local.get $r) (local.get $c)) (i32.const 2)))
      (local.set $j (i32.const 0))
      (block $quads_done (loop $next_quad
        (br_if $quads_done (i32.ge_u (local.get $j) (local.get $quads)))
        (local.set $ch (i32.shl (local.get $j) (i32.const 2)))
        (local.set $at (i32.add (local.get $rowbytes) (local.get $ch)))
        ${loads(expr, false)}
        (v128.store (i32.add (local.get $pout) (local.get $at)) ${expr})
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $next_quad)))
      (if (local.get $left) (then
        (local.set $ch (i32.shl (local.get $j) (i32.const 2)))
        (local.set $at (i32.add (local.get $rowbytes) (local.get $ch)))
        ${loads(expr, true)}
        (call $store_lanes (i32.add (local.get $pout) (local.get $at)) (local.get $left) ${expr})))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $next_row))))`;
}

/** `channel_normalize(x, _, rows, C, mean, _, inv, out)`: out = (x − mean[c]) · inv[c]. */
const CHANNEL_NORMALIZE = channelwise(
  'channel_normalize',
  '(f32x4.mul (f32x4.sub (local.get $a) (local.get $p)) (local.get $s))',
);

/**
 * `channel_norm_grad(dy, y, rows, C, meanDyY, meanDy, inv, out)`:
 * out = (dy − (y · meanDyY[c] + meanDy[c])) · inv[c], batch norm's closed-form input gradient.
 */
const CHANNEL_NORM_GRAD = channelwise(
  'channel_norm_grad',
  '(f32x4.mul (f32x4.sub (local.get $a) (f32x4.add (f32x4.mul (local.get $b) (local.get $p)) (local.get $q))) (local.get $s))',
);

/** The WAT functions of the channel kernels. */
export const CHANNEL_FUNCTIONS: readonly string[] = [CHANNEL_MOMENTS, CHANNEL_NORMALIZE, CHANNEL_NORM_GRAD];
