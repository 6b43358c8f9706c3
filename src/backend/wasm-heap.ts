/**
 * Internal: TicketLab's one access point to tfjs-backend-wasm's memory, through public members
 * of its backend class (4.22): output allocation, heap views and byte offsets of tensor data,
 * reference counts. A heap view is valid only until the next allocation (the heap may grow
 * and, when it is not shared, move), so allocate every output first and take views last; byte
 * offsets stay valid.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The members of tfjs-backend-wasm's BackendWasm that TicketLab uses. */
export interface WasmHeapBackend {
  /** The emscripten module: the memory is `wasmMemory` in the threaded build, `asm.memory` otherwise. */
  readonly wasm: {
    readonly wasmMemory?: WebAssembly.Memory;
    readonly asm?: { readonly memory?: WebAssembly.Memory };
    readonly HEAPU8: Uint8Array;
  };
  /**
   * Per-tensor records; `memoryOffset` is the byte offset of the data in the heap, `refCount`
   * the number of live tensors sharing it (clones, reshapes and variables share data).
   */
  readonly dataIdMap: { get(dataId: tf.DataId): { readonly memoryOffset: number | null; readonly refCount: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view typed by the tensor's dtype (Float32Array for float32, Int32Array, Uint8Array for bool). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
  incRef(dataId: tf.DataId): void;
}

/** `backend` (default: the active one, which must be wasm) seen through {@link WasmHeapBackend}. */
export function _wasmHeap(backend: tf.KernelBackend = tf.backend()): WasmHeapBackend {
  return backend as unknown as WasmHeapBackend;
}

/**
 * Byte offset of a tensor's data in the wasm heap: the backend's record of it, read directly
 * (the fused kernels take a dozen per step; making a typed view for each cost ~20 µs of an MLP
 * step).
 */
export function _heapPointer(info: tf.TensorInfo, backend?: tf.KernelBackend): number {
  const heap = _wasmHeap(backend);
  const offset = heap.dataIdMap.get(info.dataId)?.memoryOffset;
  return typeof offset === 'number' ? offset : heap.typedArrayFromHeap(info).byteOffset;
}

/**
 * Whether a tensor's heap data is referenced by that tensor alone (no clone, reshape or other
 * variable shares it), so a kernel may overwrite it in place without any other tensor seeing
 * the change. False for data the backend does not know.
 */
export function _soleHeapOwner(info: tf.TensorInfo, backend?: tf.KernelBackend): boolean {
  return _wasmHeap(backend).dataIdMap.get(info.dataId)?.refCount === 1;
}
