/**
 * WebAssembly text of the transposed im2col that turns a conv filter gradient into one matrix
 * product: from x transposed to [Ci, H, W, N], it writes Pᵀ [KH·KW·Ci, Ho·Wo·N] with rows in the
 * filter's (kh, kw, ci) order and columns in (oh, ow, n) order, so that
 * dW [KH·KW·Ci, Co] = Pᵀ · dy transposed to [Ho·Wo·N, Co]. With the batch innermost, every
 * output row position copies one contiguous run (the whole valid width at stride 1, N values
 * per column otherwise); padding positions are zero-filled. Bulk-memory copies and fills only.
 */

/**
 * What the shared patch loop does with each run of `count` floats between Pᵀ (at `patches`) and
 * x's [Ci, H, W, N] layout (at `image`), and with rows and columns that fall in the padding.
 */
interface PatchOperation {
  run(patches: string, image: string, count: string): string;
  /** Statements for an output row whose input row lies in the padding. */
  readonly outsideRow: string;
  /** Statements for the padded columns [0, lo) and [hi, Wo) of a row. */
  readonly padding: string;
}

/**
 * The loop over Pᵀ's rows (kh, kw, ci) and output rows oh:
 * $out walks Pᵀ (the `$dst` argument), $row is x's input row (in the `$src` argument).
 */
function patchFunction(name: string, op: PatchOperation): string {
  return `
  (func (export "${name}") (param $src i32) (param $geometry i32) (param $dst i32)
    (local $ci i32) (local $h i32) (local $w i32) (local $n i32) (local $kh i32) (local $kw i32)
    (local $sh i32) (local $sw i32) (local $pt i32) (local $pl i32) (local $ho i32) (local $wo i32)
    (local $a i32) (local $b i32) (local $c i32) (local $oh i32) (local $ow i32) (local $ih i32)
    (local $lo i32) (local $hi i32) (local $row i32) (local $out i32) (local $nbytes i32) (local $plane i32)
    (local.set $ci (i32.load offset=0 (local.get $geometry)))
    (local.set $h (i32.load offset=4 (local.get $geometry)))
    (local.set $w (i32.load offset=8 (local.get $geometry)))
    (local.set $n (i32.load offset=12 (local.get $geometry)))
    (local.set $kh (i32.load offset=16 (local.get $geometry)))
    (local.set $kw (i32.load offset=20 (local.get $geometry)))
    (local.set $sh (i32.load offset=24 (local.get $geometry)))
    (local.set $sw (i32.load offset=28 (local.get $geometry)))
    (local.set $pt (i32.load offset=32 (local.get $geometry)))
    (local.set $pl (i32.load offset=36 (local.get $geometry)))
    (local.set $ho (i32.load offset=40 (local.get $geometry)))
    (local.set $wo (i32.load offset=44 (local.get $geometry)))
    (local.set $nbytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $out (local.get $dst))
    (block $a_done (loop $a_next
      (br_if $a_done (i32.ge_s (local.get $a) (local.get $kh)))
      (local.set $b (i32.const 0))
      (block $b_done (loop $b_next
        (br_if $b_done (i32.ge_s (local.get $b) (local.get $kw)))
        ;; Output columns whose input column ow·sw + b − pl lies inside [0, W).
        (local.set $lo (i32.const 0))
        (block $lo_done (loop $lo_next
          (br_if $lo_done (i32.ge_s (local.get $lo) (local.get $wo)))
          (br_if $lo_done (i32.ge_s (i32.sub (i32.add (i32.mul (local.get $lo) (local.get $sw)) (local.get $b)) (local.get $pl)) (i32.const 0)))
          (local.set $lo (i32.add (local.get $lo) (i32.const 1)))
          (br $lo_next)))
        (local.set $hi (local.get $wo))
        (block $hi_done (loop $hi_next
          (br_if $hi_done (i32.le_s (local.get $hi) (local.get $lo)))
          (br_if $hi_done (i32.lt_s (i32.sub (i32.add (i32.mul (i32.sub (local.get $hi) (i32.const 1)) (local.get $sw)) (local.get $b)) (local.get $pl)) (local.get $w)))
          (local.set $hi (i32.sub (local.get $hi) (i32.const 1)))
          (br $hi_next)))
        (local.set $c (i32.const 0))
        (block $c_done (loop $c_next
          (br_if $c_done (i32.ge_s (local.get $c) (local.get $ci)))
          (local.set $plane (i32.mul (local.get $c) (local.get $h)))
          (local.set $oh (i32.const 0))
          (block $oh_done (loop $oh_next
            (br_if $oh_done (i32.ge_s (local.get $oh) (local.get $ho)))
            (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sh)) (local.get $a)) (local.get $pt)))
            (if (i32.or (i32.lt_s (local.get $ih) (i32.const 0)) (i32.ge_s (local.get $ih) (local.get $h)))
              (then ${op.outsideRow})
              (else
                ${op.padding}
                (local.set $row (i32.add (local.get $src) (i32.mul (i32.mul (i32.add (local.get $plane) (local.get $ih)) (local.get $w)) (local.get $nbytes))))
                (if (i32.eq (local.get $sw) (i32.const 1))
                  (then ${op.run(
                    '(i32.add (local.get $out) (i32.mul (local.get $lo) (local.get $nbytes)))',
                    '(i32.add (local.get $row) (i32.mul (i32.sub (i32.add (local.get $lo) (local.get $b)) (local.get $pl)) (local.get $nbytes)))',
                    '(i32.mul (i32.sub (local.get $hi) (local.get $lo)) (local.get $n))',
                  )})
                  (else
                    (local.set $ow (local.get $lo))
                    (block $ow_done (loop $ow_next
                      (br_if $ow_done (i32.ge_s (local.get $ow) (local.get $hi)))
                      ${op.run(
                        '(i32.add (local.get $out) (i32.mul (local.get $ow) (local.get $nbytes)))',
                        '(i32.add (local.get $row) (i32.mul (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $sw)) (local.get $b)) (local.get $pl)) (local.get $nbytes)))',
                        '(local.get $n)',
                      )}
                      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                      (br $ow_next)))))))
            (local.set $out (i32.add (local.get $out) (i32.mul (local.get $wo) (local.get $nbytes))))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $oh_next)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $c_next)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $b_next)))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br $a_next))))`;
}

/**
 * `im2col_t(src, geometry, dst)`: Pᵀ at `dst` from x [Ci, H, W, N] at `src`; `geometry` points to
 * 12 int32 values: Ci, H, W, N, KH, KW, strideH, strideW, padTop, padLeft, Ho, Wo.
 */
export const IM2COL_FUNCTION = patchFunction('im2col_t', {
  run: (patches, image, count) => `(memory.copy ${patches} ${image} (i32.shl ${count} (i32.const 2)))`,
  outsideRow: '(memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $wo) (local.get $nbytes)))',
  padding: `(memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $lo) (local.get $nbytes)))
                (memory.fill (i32.add (local.get $out) (i32.mul (local.get $hi) (local.get $nbytes))) (i32.const 0)
                  (i32.mul (i32.sub (local.get $wo) (local.get $hi)) (local.get $nbytes)))`,
});
