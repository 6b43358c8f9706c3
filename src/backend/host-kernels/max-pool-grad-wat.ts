/**
 * WebAssembly text of max pooling's gradient on NHWC float32 data: for each output pixel, the
 * first maximum of its window per channel (taps in row-major order, strict `>` so ties keep the
 * earliest, NaN never wins, as the cpu backend) found four channels at a time, then dy added
 * to dx at that position. dx must be zeroed by the caller.
 */

/**
 * `max_pool_grad(x, dy, dx, geometry)`: `geometry` points to 14 int32 values: batch, inH, inW,
 * C, outH, outW, strideH, strideW, filterH, filterW, dilationH, dilationW, padTop, padLeft.
 */
export const MAX_POOL_GRAD_FUNCTION = `
  (func (export "max_pool_grad") (param $x i32) (param $dy i32) (param $dx i32) (param $geometry i32)
    (local $batch i32) (local $in_h i32) (local $in_w i32) (local $c i32) (local $out_h i32) (local $out_w i32)
    (local $stride_h i32) (local $stride_w i32) (local $fh i32) (local $fw i32) (local $dil_h i32) (local $dil_w i32)
    (local $top i32) (local $left i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $o i32) (local $r0 i32) (local $c0 i32) (local $wr i32) (local $wc i32)
    (local $r i32) (local $col i32) (local $base i32) (local $ch i32) (local $lanes i32) (local $at i32)
    (local $best v128) (local $where v128) (local $v v128) (local $gt v128) (local $idx v128)
    (local.set $batch (i32.load offset=0 (local.get $geometry)))
    (local.set $in_h (i32.load offset=4 (local.get $geometry)))
    (local.set $in_w (i32.load offset=8 (local.get $geometry)))
    (local.set $c (i32.load offset=12 (local.get $geometry)))
    (local.set $out_h (i32.load offset=16 (local.get $geometry)))
    (local.set $out_w (i32.load offset=20 (local.get $geometry)))
    (local.set $stride_h (i32.load offset=24 (local.get $geometry)))
    (local.set $stride_w (i32.load offset=28 (local.get $geometry)))
    (local.set $fh (i32.load offset=32 (local.get $geometry)))
    (local.set $fw (i32.load offset=36 (local.get $geometry)))
    (local.set $dil_h (i32.load offset=40 (local.get $geometry)))
    (local.set $dil_w (i32.load offset=44 (local.get $geometry)))
    (local.set $top (i32.load offset=48 (local.get $geometry)))
    (local.set $left (i32.load offset=52 (local.get $geometry)))
    (block $b_done (loop $b_next
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $oh_done (loop $oh_next
        (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $out_h)))
        (local.set $r0 (i32.sub (i32.mul (local.get $oh) (local.get $stride_h)) (local.get $top)))
        (local.set $ow (i32.const 0))
        (block $ow_done (loop $ow_next
          (br_if $ow_done (i32.ge_u (local.get $ow) (local.get $out_w)))
          (local.set $c0 (i32.sub (i32.mul (local.get $ow) (local.get $stride_w)) (local.get $left)))
          ;; Four channels at a time; the last group may hold 1–3 (lanes past them load as 0
          ;; and are never scattered).
          (local.set $ch (i32.const 0))
          (block $q_done (loop $q_next
            (br_if $q_done (i32.ge_u (local.get $ch) (local.get $c)))
            (local.set $lanes (i32.sub (local.get $c) (local.get $ch)))
            (if (i32.gt_u (local.get $lanes) (i32.const 4)) (then (local.set $lanes (i32.const 4))))
            (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $where (v128.const i32x4 -1 -1 -1 -1))
            (local.set $wr (i32.const 0))
            (block $wr_done (loop $wr_next
              (br_if $wr_done (i32.ge_s (local.get $wr) (local.get $fh)))
              (local.set $r (i32.add (local.get $r0) (local.get $wr)))
              (if (i32.and (i32.ge_s (local.get $r) (i32.const 0)) (i32.lt_s (local.get $r) (local.get $in_h))) (then
                (local.set $wc (i32.const 0))
                (block $wc_done (loop $wc_next
                  (br_if $wc_done (i32.ge_s (local.get $wc) (local.get $fw)))
                  (local.set $col (i32.add (local.get $c0) (local.get $wc)))
                  (if (i32.and (i32.ge_s (local.get $col) (i32.const 0)) (i32.lt_s (local.get $col) (local.get $in_w))) (then
                    (local.set $base (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $in_h)) (local.get $r)) (local.get $in_w)) (local.get $col)) (local.get $c)) (local.get $ch)))
                    (local.set $at (i32.add (local.get $x) (i32.shl (local.get $base) (i32.const 2))))
                    (local.set $v (if (result v128) (i32.eq (local.get $lanes) (i32.const 4))
                      (then (v128.load (local.get $at)))
                      (else (call $load_lanes (local.get $at) (local.get $lanes)))))
                    (local.set $gt (f32x4.gt (local.get $v) (local.get $best)))
                    (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $gt)))
                    (local.set $idx (i32x4.add (i32x4.splat (local.get $base)) (v128.const i32x4 0 1 2 3)))
                    (local.set $where (v128.bitselect (local.get $idx) (local.get $where) (local.get $gt)))))
                  (local.set $wc (i32.add (local.get $wc) (local.get $dil_w)))
                  (br $wc_next)))))
              (local.set $wr (i32.add (local.get $wr) (local.get $dil_h)))
              (br $wr_next)))
            (local.set $at (i32.add (local.get $dy) (i32.shl (i32.add (local.get $o) (local.get $ch)) (i32.const 2))))
            (call $scatter (local.get $dx) (i32x4.extract_lane 0 (local.get $where)) (f32.load offset=0 (local.get $at)))
            (if (i32.gt_u (local.get $lanes) (i32.const 1)) (then
              (call $scatter (local.get $dx) (i32x4.extract_lane 1 (local.get $where)) (f32.load offset=4 (local.get $at)))))
            (if (i32.gt_u (local.get $lanes) (i32.const 2)) (then
              (call $scatter (local.get $dx) (i32x4.extract_lane 2 (local.get $where)) (f32.load offset=8 (local.get $at)))))
            (if (i32.gt_u (local.get $lanes) (i32.const 3)) (then
              (call $scatter (local.get $dx) (i32x4.extract_lane 3 (local.get $where)) (f32.load offset=12 (local.get $at)))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $q_next)))
          (local.set $o (i32.add (local.get $o) (local.get $c)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $ow_next)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $oh_next)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b_next))))
  (func $scatter (param $dx i32) (param $at i32) (param $g f32)
    (if (i32.ge_s (local.get $at) (i32.const 0)) (then
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $at) (i32.const 2)))
        (f32.add (f32.load (i32.add (local.get $dx) (i32.shl (local.get $at) (i32.const 2)))) (local.get $g))))))`;
