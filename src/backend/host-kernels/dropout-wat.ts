/**
 * WebAssembly text of dropout's keep-and-scale factors written straight into the wasm heap:
 * the xoshiro128** stream of src/random.ts (Rng), one draw per entry, entry i = 0 when draw i's
 * top 24 bits are below the cut, else the scale. The same integer steps as the JS loop in
 * src/models/layers.ts (`_dropoutKeep`), so the mask is bit-identical, in less than half its
 * time (about 3.5 against 8 ns per entry) and with no copy of a JS array into the heap. Long
 * tensors run in parts on the host threads, each from its own offset of the stream
 * (src/models/_dropout-fused.ts).
 */

/**
 * `dropout_keep(out, n, s0, s1, s2, s3, cut, scale)`: out[i] = (draw_i >>> 8) < cut ? 0 : scale
 * for i < n, from generator state (s0, s1, s2, s3); `cut` = ⌈rate · 2^24⌉, compared unsigned.
 */
export const DROPOUT_KEEP_FUNCTION = `
  (func (export "dropout_keep") (param $out i32) (param $n i32) (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32)
    (param $cut i32) (param $scale f32)
    (local $end i32) (local $u i32) (local $t i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (local.set $u (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
      (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
      (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
      (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
      (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
      (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
      (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
      (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
      (f32.store (local.get $out)
        (select (f32.const 0) (local.get $scale) (i32.lt_u (i32.shr_u (local.get $u) (i32.const 8)) (local.get $cut))))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $next))))`;
