/**
 * TicketLab's fused SIMD kernels on the wasm backend: a small WebAssembly module compiled at
 * backend start (from the WAT texts in this folder, by wabt) that imports the wasm backend's own
 * memory, so it reads and writes tensors in place by their heap offsets: no copies, one pass,
 * no engine bookkeeping per elementary op. Used where a training step would otherwise run a
 * dozen elementwise kernels over the same arrays (optimizer updates, batch-statistics norm,
 * ReLU's gradient, WSN's top-c passes) or where a stock kernel is slow (Transpose,
 * MaxPoolGrad). See docs/cpu-speed.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import wabt from 'wabt';
import { _heapPointer, _wasmHeap } from '../wasm-heap';
import { CHANNEL_FUNCTIONS } from './channel-wat';
import { lanewiseEntry, lanewiseFunctions, moduleWat, type LanewiseSplitter } from './lanewise-wat';
import { hostHelperCount, runWasmParts, type SharedWasmProgram } from '../host-threads';
import { ADAM_KERNEL, SGD_KERNEL, SGD_MOMENTUM_KERNEL } from './optimizer-kernels';
import { IM2COL_FUNCTION } from './im2col-wat';
import { DROPOUT_KEEP_FUNCTION } from './dropout-wat';
import { MAX_POOL_GRAD_FUNCTION } from './max-pool-grad-wat';
import { _registerReluGradient, RELU_GRAD_KERNEL, RELU_KERNEL } from './relu-kernels';
import { TRANSPOSE_FUNCTIONS } from './transpose-wat';
import { _nativeHostKernels } from './native-kernels';
import { ADAM_TOP_C_SCORE_KERNEL, ADAM_TOP_C_WEIGHT_KERNEL, TOP_C_FUNCTIONS, TOP_C_MASK_THRESHOLD, TOP_C_MASKED_WEIGHT_GRAD, TOP_C_WEIGHT_THRESHOLD } from './top-c-kernels';

/**
 * The fused kernels. Lane-wise ones take: pointers (byte offsets in the wasm heap) of the
 * inputs, then of the outputs, the mask pointer (0: no mask), the element count, one 0/1 per
 * option, the ints, the scalars (see each declaration); the others are documented in their
 * WAT files. The optimizer kernels (`adam`, `sgd*`, `adam_top_c`) may write their outputs over
 * their own inputs (W, s and the slots in place): every entry is read before it is written.
 */
export interface HostKernels {
  adam(
    w: number, g: number, m: number, v: number, outW: number, outM: number, outV: number, mask: number, n: number,
    decay: number, wd: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    invCorrection2: number, epsilon: number, stepSize: number,
  ): void;
  sgd_momentum(
    w: number, g: number, b: number, outW: number, outB: number, mask: number, n: number,
    decay: number, wd: number, momentum: number, lr: number,
  ): void;
  sgd(w: number, g: number, outW: number, mask: number, n: number, decay: number, wd: number, lr: number): void;
  /** y = x ≤ 0 ? +0 : x (NaN kept); mask must be 0. */
  relu(x: number, outY: number, mask: number, n: number): void;
  /** dx = dy · (x > 0 ? 1 : 0); mask must be 0. */
  relu_grad(dy: number, x: number, outDx: number, mask: number, n: number): void;
  /** See top-c-kernels.ts: WSN's window pass; writes [below, inside] to `counts`. */
  topc_window(s: number, w: number, out: number, n: number, lo: number, hi: number, capacity: number, keys: number, index: number, counts: number): void;
  topc_mask_threshold(s: number, out: number, mask: number, n: number, tauKey: number): void;
  topc_weight_threshold(s: number, w: number, out: number, mask: number, n: number, tauKey: number): void;
  topc_masked_weight_grad(dy: number, w: number, s: number, dw: number, ds: number, mask: number, n: number, tauKey: number, signFloor: number): void;
  /** See top-c-kernels.ts: Adam on a WSN weight from the gradient of W ⊙ m (∂W = dy ⊙ m made on the fly). */
  adam_top_c_weight(
    dy: number, s: number, w: number, m: number, v: number, outW: number, outM: number, outV: number, mask: number, n: number,
    decay: number, tauKey: number, wd: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    epsilon: number, invCorrection2: number, stepSize: number,
  ): void;
  /** See top-c-kernels.ts: Adam on a WSN score from the gradient of W ⊙ m (∂s = (dy·W)·sign(s) made on the fly). */
  adam_top_c_score(
    dy: number, w: number, s: number, m: number, v: number, outS: number, outM: number, outV: number, mask: number, n: number,
    decay: number, signFloor: number, wd: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    epsilon: number, invCorrection2: number, stepSize: number,
  ): void;
  /**
   * WSN's weight W and score s updated from dy = ∂L/∂(W ⊙ m): `adam_top_c_weight` on W, then
   * `adam_top_c_score` on s (which reads the old W), as one call; one pass over the arrays on the
   * native binding (native-kernels.ts). Masks 0 for none.
   */
  adam_top_c(
    dy: number, s: number, w: number, mW: number, vW: number, mS: number, vS: number,
    outW: number, outMW: number, outVW: number, outS: number, outMS: number, outVS: number, maskW: number, maskS: number, n: number,
    decay: number, tauKey: number, signFloor: number, wd: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    epsilon: number, invCorrection2W: number, stepSizeW: number, invCorrection2S: number, stepSizeS: number,
  ): void;
  /** dst[j·dstStride + i] = src[i·srcStride + j], 4-byte elements (transpose-wat.ts). */
  transpose2d(src: number, rows: number, cols: number, srcStride: number, dst: number, dstStride: number): void;
  /** [a, b, block] → [b, a, block], 4-byte elements. */
  swap_blocks(src: number, a: number, b: number, block: number, dst: number): void;
  /** Pᵀ for a conv filter gradient from x as [Ci, H, W, N]; geometry: 12 int32 (im2col-wat.ts). */
  im2col_t(src: number, geometry: number, dst: number): void;
  /** Dropout's keep-and-scale factors from an xoshiro128** state (dropout-wat.ts). */
  dropout_keep(out: number, n: number, s0: number, s1: number, s2: number, s3: number, cut: number, scale: number): void;
  /** Max pooling's gradient into a zeroed dx; geometry: 14 int32 (max-pool-grad-wat.ts). */
  max_pool_grad(x: number, dy: number, dx: number, geometry: number): void;
  /** See channel-wat.ts: float64 channel sums of (x − shift) and (x − shift)·(y or itself). */
  channel_moments(x: number, y: number, shift: number, rows: number, channels: number, sumA: number, sumB: number): void;
  /** out = (x − mean[c]) · inv[c]; the second and sixth pointers are unused. */
  channel_normalize(x: number, unused: number, rows: number, channels: number, mean: number, unused2: number, inv: number, out: number): void;
  /** out = (dy − (y · meanDyY[c] + meanDy[c])) · inv[c]. */
  channel_norm_grad(dy: number, y: number, rows: number, channels: number, meanDyY: number, meanDy: number, inv: number, out: number): void;
}

/**
 * Lane-wise passes over at least this many entries (the optimizer's update of a large layer,
 * WSN's straight-through gradient, ReLU on large activations) are split over the host threads
 * when the wasm heap is shared: memory-bound passes then use both cores' bandwidth and caches.
 * Shorter passes stay on the calling thread, where waking a worker (tens of µs) would cost more
 * than it saves.
 */
export const LANEWISE_SPLIT_MIN_LENGTH = 1 << 18;

let programCount = 0;

let installed: {
  backend: tf.KernelBackend; kernels: HostKernels; wasmKernels: HostKernels; memory: WebAssembly.Memory; splitter: LanewiseSplitter | null;
  /** Kernels the native binding runs (they cut long passes over its threads themselves). */
  native: ReadonlySet<string>;
} | null = null;

/**
 * `adam_top_c` as its two wasm kernels, weight first (the score's pass reads the old weight).
 * When the weight is updated in place (outW = w), its new values go to a scratch buffer first
 * and are copied over W after the score's pass.
 */
function adamTopCOnWasm(kernels: Omit<HostKernels, 'adam_top_c'>, memory: WebAssembly.Memory): HostKernels['adam_top_c'] {
  return (dy, s, w, mW, vW, mS, vS, outW, outMW, outVW, outS, outMS, outVS, maskW, maskS, n, decay, tauKey, signFloor,
    wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, invCorrection2W, stepSizeW, invCorrection2S, stepSizeS) => {
    const scratch = outW === w ? _heapTensor([n]) : null;
    try {
      const newW = scratch === null ? outW : _heapPointer(scratch);
      kernels.adam_top_c_weight(
        dy, s, w, mW, vW, newW, outMW, outVW, maskW, n, decay, tauKey, wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, invCorrection2W, stepSizeW,
      );
      kernels.adam_top_c_score(
        dy, w, s, mS, vS, outS, outMS, outVS, maskS, n, decay, signFloor, wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, invCorrection2S, stepSizeS,
      );
      if (scratch !== null) new Uint8Array(memory.buffer).copyWithin(outW, newW, newW + 4 * n);
    } finally {
      scratch?.dispose();
    }
  };
}

/**
 * Compiles the fused kernels against a started wasm backend's memory. Returns null when they
 * are ready, else why not (the callers then use tensor ops, which give the same numbers).
 */
export async function _installHostKernels(backend: tf.KernelBackend): Promise<string | null> {
  if (installed?.backend === backend) return null;
  const wasmModule = _wasmHeap(backend).wasm;
  const memory = wasmModule?.wasmMemory ?? wasmModule?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return 'fused kernels off: the wasm backend exposes no memory object';
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const lanewise = [
      ADAM_KERNEL, SGD_MOMENTUM_KERNEL, SGD_KERNEL, RELU_KERNEL, RELU_GRAD_KERNEL,
      TOP_C_MASK_THRESHOLD, TOP_C_WEIGHT_THRESHOLD, TOP_C_MASKED_WEIGHT_GRAD, ADAM_TOP_C_WEIGHT_KERNEL, ADAM_TOP_C_SCORE_KERNEL,
    ];
    const text = moduleWat([...lanewise.flatMap(lanewiseFunctions), ...CHANNEL_FUNCTIONS, ...TOP_C_FUNCTIONS, ...TRANSPOSE_FUNCTIONS, MAX_POOL_GRAD_FUNCTION, IM2COL_FUNCTION, DROPOUT_KEEP_FUNCTION], shared);
    const compiler = await wabt();
    const parsed = compiler.parseWat('ticketlab-lanewise.wat', text, { simd: true, threads: shared, bulk_memory: true });
    const binary = parsed.toBinary({}).buffer;
    parsed.destroy();
    const instance = await WebAssembly.instantiate(binary, { env: { memory } });
    // Not named `exports`: tsc's CommonJS output reads this module's exported constants
    // (LANEWISE_SPLIT_MIN_LENGTH below) as `exports.NAME`, which a local of that name would shadow.
    const wasmExports = instance.instance.exports as Record<string, unknown>;
    const program: SharedWasmProgram = { id: `host-kernels-${++programCount}`, binary: new Uint8Array(binary), memory, exports: wasmExports };
    const splitter = shared
      ? { parts: hostHelperCount() + 1, minLength: LANEWISE_SPLIT_MIN_LENGTH, run: (name: string, parts: readonly (readonly number[])[]) => runWasmParts(program, name, parts) }
      : null;
    const entries = Object.fromEntries(lanewise.map((kernel) => [kernel.name, lanewiseEntry(kernel, wasmExports, splitter)]));
    const compiled = { ...wasmExports, ...entries } as unknown as Omit<HostKernels, 'adam_top_c'>;
    const wasmKernels: HostKernels = { ...compiled, adam_top_c: adamTopCOnWasm(compiled, memory) };
    const native = _nativeHostKernels(memory);
    const kernels: HostKernels = { ...wasmKernels, ...native };
    installed = { backend, kernels, wasmKernels, memory, splitter, native: new Set(Object.keys(native)) };
    _registerReluGradient(_fusedReluGrad);
    return null;
  } catch (e) {
    return `fused kernels off: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** The fused kernels when the active backend is the wasm backend they were compiled for, else null. */
export function _hostKernels(): HostKernels | null {
  if (installed === null || tf.getBackend() !== 'wasm' || tf.backend() !== installed.backend) return null;
  return installed.kernels;
}

/**
 * The fused kernels as compiled wasm alone, without the native binding's replacements (tests
 * compare the two), under the same conditions as {@link _hostKernels}.
 * @internal
 */
export function _wasmHostKernels(): HostKernels | null {
  return _hostKernels() === null ? null : installed!.wasmKernels;
}

/**
 * How many parts the caller should cut a pass of the fused kernel `name` over `n` entries into
 * for {@link _runHostKernelParts}: the host threads plus the caller's when the heap is shared
 * and n ≥ {@link LANEWISE_SPLIT_MIN_LENGTH}, else 1; always 1 for a kernel the native binding
 * runs, which cuts long passes over its own threads.
 */
export function _hostKernelPartCount(n: number, name: string): number {
  const splitter = installed?.splitter ?? null;
  if (splitter === null || n < splitter.minLength || installed!.native.has(name)) return 1;
  return splitter.parts;
}

/**
 * Runs the fused kernel export `name` once per argument list, in parallel over the host threads
 * (part 0 on the calling thread); the parts must touch disjoint memory. At most
 * {@link _hostKernelPartCount} parts; one part runs the active kernel (the native one where the
 * binding replaces it) on the calling thread.
 */
export function _runHostKernelParts(name: string, parts: readonly (readonly number[])[]): void {
  const splitter = installed?.splitter ?? null;
  if (splitter === null || parts.length === 1) {
    const run = (installed!.kernels as unknown as Record<string, (...args: number[]) => void>)[name];
    for (const args of parts) run(...args);
  } else {
    splitter.run(name, parts);
  }
}

/** A new uninitialised float32 tensor in the wasm heap, owned by the caller's tidy scope. */
export function _heapTensor(shape: readonly number[]): tf.Tensor {
  const info = _wasmHeap().makeOutput([...shape], 'float32');
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * The heap byte offset of a typed-array view of the active wasm backend's heap, or null when the
 * view is elsewhere (cpu arrays, copies) or the fused kernels are not active.
 */
export function _heapViewPointer(view: ArrayBufferView): number | null {
  if (_hostKernels() === null) return null;
  const heap = _wasmHeap().wasm.HEAPU8;
  return view.buffer === heap.buffer ? view.byteOffset : null;
}

/**
 * A float64, float32 or int32 view of `length` entries at byte offset `pointer` of the wasm heap
 * (active backend: wasm, kernels installed). Valid until the next heap allocation.
 */
export function _heapView<T extends Float64Array | Float32Array | Int32Array>(
  type: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T },
  pointer: number,
  length: number,
): T {
  if (installed === null) throw new Error('_heapView: the fused kernels are not installed');
  return new type(installed.memory.buffer, pointer, length);
}

/** ReLU's gradient on the fused kernel, or null when they are not active (see relu-kernels.ts). */
function _fusedReluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor | null {
  const kernels = _hostKernels();
  if (kernels === null || dy.dtype !== 'float32' || x.dtype !== 'float32' || dy.size !== x.size) return null;
  const dx = _heapTensor(x.shape);
  kernels.relu_grad(_heapPointer(dy), _heapPointer(x), _heapPointer(dx), 0, x.size);
  return dx;
}
