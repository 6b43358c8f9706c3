/**
 * TicketLab's optional native kernels: a small N-API binding to the system BLAS (native/blas.cc,
 * built at install by scripts/build-native.cjs against Debian's OpenBLAS). It multiplies float32
 * matrices in place in the wasm backend's heap, with transposes handled by BLAS itself, at
 * several times XNNPACK-on-wasm's throughput (128-bit SIMD, no FMA) on x86 with AVX2/FMA, and
 * runs Adam's updates there with eight-lane AVX2 (native/optimizer.cc). When the binding is
 * missing or `TICKETLAB_NATIVE_BLAS=0`, the wasm kernels run alone and give the same numbers:
 * up to float32 rounding for the products, bit for bit for Adam.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The binding's functions (see native/blas.cc). */
export interface NativeBlas {
  /**
   * c [m, n] = op(a) · op(b), row-major; op(a) [m, k] (stored [k, m] when transposeA). Products
   * of 2^23 multiply-adds or more are cut into blocks of c's rows (or columns, when c is wider
   * than tall) on up to `threads` threads (default 1) of the sleeping worker pool.
   */
  sgemm(
    a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, transposeA: number, transposeB: number, threads?: number,
  ): void;
  /**
   * The three NHWC float32 convolutions (dilation 1) of native/conv.cc, each as chunked im2col
   * + sgemm on up to `threads` threads (a sleeping worker pool, never spinning). `geometry` is
   * [n, h, w, ci, kh, kw, sh, sw, padTop, padLeft, ho, wo, co]. Forward: (x, w) → y; input
   * gradient: (dy, w) → dx; filter gradient: (x, dy) → dw.
   */
  conv2dForward(geometry: Int32Array, x: Float32Array, w: Float32Array, y: Float32Array, threads: number): void;
  conv2dInputGrad(geometry: Int32Array, dy: Float32Array, w: Float32Array, dx: Float32Array, threads: number): void;
  conv2dFilterGrad(geometry: Int32Array, x: Float32Array, dy: Float32Array, dw: Float32Array, threads: number): void;
  setThreads(threads: number): void;
  /**
   * Adam over byte offsets in `heap` (the wasm backend's memory), bit-identical to the wasm
   * `adam` kernel, AVX2 where the CPU has it; `args` as in native/blas.cc. Absent from bindings
   * built before it existed.
   */
  adam?(heap: Uint8Array, args: Float64Array): void;
  /** WSN's W and s updated in one pass (the wasm `adam_top_c_weight` then `adam_top_c_score`). */
  adamTopC?(heap: Uint8Array, args: Float64Array): void;
  /**
   * WSN's top-c window pass over byte offsets in `heap` (the wasm `topc_window` kernel over the
   * whole range, cut over `threads` when long); `args` as in native/blas.cc. Absent from
   * bindings built before it existed.
   */
  topCWindow?(heap: Uint8Array, args: Float64Array): void;
  /** The vector code the native kernels run: 'avx2' or 'scalar'. */
  simd?(): string;
}

let nativeThreads = 1;

/**
 * Sets how many threads the native convolutions use: the wasm backend's own thread count
 * (set by its probe), so the native kernels use the cores the wasm pool would.
 */
export function _setNativeThreads(threads: number): void {
  nativeThreads = Math.max(1, Math.floor(threads));
}

/** Threads for the native convolutions (see {@link _setNativeThreads}). */
export function _nativeThreads(): number {
  return nativeThreads;
}

let loaded: { blas: NativeBlas | null; why: string } | null = null;

/** Where the build script puts the binding: build/ at the package root. */
function bindingPath(): string | null {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'native'))) {
      return path.join(dir, 'build', 'ticketlab_blas.node');
    }
  }
  return null;
}

/**
 * The native BLAS binding, loaded once, or null (then {@link _nativeBlasStatus} says why).
 * OpenBLAS itself runs on one thread: its own pool spins between calls and fought the wasm
 * backend's threads (measured on 2 cores: 2 BLAS threads made every training workload slower,
 * the MLP by half). The native convolutions split their work over {@link _nativeThreads}
 * sleeping workers instead, each calling the one-thread BLAS on its share.
 */
export function _nativeBlas(): NativeBlas | null {
  if (loaded === null) {
    const file = bindingPath();
    if (process.env.TICKETLAB_NATIVE_BLAS === '0') loaded = { blas: null, why: 'off (TICKETLAB_NATIVE_BLAS=0)' };
    else if (file === null || !fs.existsSync(file)) loaded = { blas: null, why: 'not built (run node scripts/build-native.cjs; needs g++ and libopenblas-dev)' };
    else {
      try {
        const blas = require(file) as NativeBlas;
        blas.setThreads(1);
        const adam = typeof blas.adam === 'function' && typeof blas.simd === 'function' ? `; Adam ${blas.simd()}` : '';
        loaded = { blas, why: `OpenBLAS via ${path.basename(file)}${adam}` };
      } catch (e) {
        loaded = { blas: null, why: `failed to load: ${(e as Error).message.split('\n')[0]}` };
      }
    }
  }
  return loaded.blas;
}

/** One line on the native BLAS: what is used, or why not. */
export function _nativeBlasStatus(): string {
  _nativeBlas();
  return loaded!.why;
}
