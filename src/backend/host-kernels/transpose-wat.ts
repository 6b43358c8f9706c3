/**
 * WebAssembly text of the transposes: a cache-blocked matrix transpose (dst [cols, rows] = srcᵀ
 * for src [rows, cols], strided rows allowed) and a block swap [a, b, block] → [b, a, block]. 4×4 blocks are transposed in registers with two rounds of shuffles; blocks
 * run in 16-row tiles so each 64-byte line of dst is written whole while it is in cache. The
 * stock wasm Transpose moves one element at a time (about 7 ms for 1.3 M floats).
 */

/** Byte shuffles of two i32x4 vectors a, b by lane indices (0–3: a, 4–7: b). */
function shuffle(lanes: readonly number[], a: string, b: string): string {
  const bytes = lanes.flatMap((lane) => [0, 1, 2, 3].map((k) => lane * 4 + k));
  return `(i8x16.shuffle ${bytes.join(' ')} ${a} ${b})`;
}

const load = (row: number): string =>
  `(v128.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const ${row})) (local.get $src_stride)) (local.get $j)) (i32.const 2))))`;
const store = (col: number, value: string): string =>
  `(v128.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.add (local.get $j) (i32.const ${col})) (local.get $dst_stride)) (local.get $i)) (i32.const 2))) ${value})`;
const get = (name: string): string => `(local.get $${name})`;

/**
 * `transpose2d(src, rows, cols, srcStride, dst, dstStride)`: dst[j·dstStride + i] =
 * src[i·srcStride + j] for i < rows, j < cols (strides in elements; 4-byte elements).
 */
const TRANSPOSE_2D = `
  (func (export "transpose2d") (param $src i32) (param $rows i32) (param $cols i32) (param $src_stride i32)
    (param $dst i32) (param $dst_stride i32)
    (local $i i32) (local $j i32) (local $i0 i32) (local $iend i32) (local $rows4 i32) (local $cols4 i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (block $tiles_done (loop $next_tile
      (br_if $tiles_done (i32.ge_u (local.get $i0) (local.get $rows4)))
      (local.set $iend (select (i32.add (local.get $i0) (i32.const 16)) (local.get $rows4)
        (i32.lt_u (i32.add (local.get $i0) (i32.const 16)) (local.get $rows4))))
      (local.set $j (i32.const 0))
      (block $cols_done (loop $next_col
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $cols4)))
        (local.set $i (local.get $i0))
        (block $blocks_done (loop $next_block
          (br_if $blocks_done (i32.ge_u (local.get $i) (local.get $iend)))
          (local.set $r0 ${load(0)}) (local.set $r1 ${load(1)}) (local.set $r2 ${load(2)}) (local.set $r3 ${load(3)})
          (local.set $t0 ${shuffle([0, 4, 1, 5], get('r0'), get('r1'))})
          (local.set $t1 ${shuffle([2, 6, 3, 7], get('r0'), get('r1'))})
          (local.set $t2 ${shuffle([0, 4, 1, 5], get('r2'), get('r3'))})
          (local.set $t3 ${shuffle([2, 6, 3, 7], get('r2'), get('r3'))})
          ${store(0, shuffle([0, 1, 4, 5], get('t0'), get('t2')))}
          ${store(1, shuffle([2, 3, 6, 7], get('t0'), get('t2')))}
          ${store(2, shuffle([0, 1, 4, 5], get('t1'), get('t3')))}
          ${store(3, shuffle([2, 3, 6, 7], get('t1'), get('t3')))}
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $next_block)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $next_col)))
      (local.set $i0 (local.get $iend))
      (br $next_tile)))
    ;; Columns past the last multiple of 4 (every row), then rows past it (the other columns).
    (local.set $i (i32.const 0))
    (block $a_done (loop $a_row
      (br_if $a_done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (select (local.get $cols4) (i32.const 0) (i32.lt_u (local.get $i) (local.get $rows4))))
      (block $b_done (loop $b_col
        (br_if $b_done (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $dst_stride)) (local.get $i)) (i32.const 2)))
          (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $src_stride)) (local.get $j)) (i32.const 2)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $b_col)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $a_row))))`;

/**
 * `swap_blocks(src, a, b, block, dst)`: [a, b, block] → [b, a, block] for 4-byte elements, one
 * bulk copy per block.
 */
const SWAP_BLOCKS = `
  (func (export "swap_blocks") (param $src i32) (param $a i32) (param $b i32) (param $block i32) (param $dst i32)
    (local $i i32) (local $j i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $block) (i32.const 2)))
    (block $i_done (loop $next_i
      (br_if $i_done (i32.ge_u (local.get $i) (local.get $a)))
      (local.set $j (i32.const 0))
      (block $j_done (loop $next_j
        (br_if $j_done (i32.ge_u (local.get $j) (local.get $b)))
        (memory.copy
          (i32.add (local.get $dst) (i32.mul (i32.add (i32.mul (local.get $j) (local.get $a)) (local.get $i)) (local.get $bytes)))
          (i32.add (local.get $src) (i32.mul (i32.add (i32.mul (local.get $i) (local.get $b)) (local.get $j)) (local.get $bytes)))
          (local.get $bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next_j)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next_i))))`;

/** The WAT functions of the transpose kernels. */
export const TRANSPOSE_FUNCTIONS: readonly string[] = [TRANSPOSE_2D, SWAP_BLOCKS];
