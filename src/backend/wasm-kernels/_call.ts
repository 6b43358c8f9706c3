/**
 * Internal helpers for wasm kernels built from other wasm kernels: call a registered kernel's
 * function directly (no engine, no tape) and free intermediate results. Each call returns a
 * fresh TensorInfo that the caller owns; `_free` releases it. Not exported from the barrel.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs the `kernelName` kernel registered for wasm on `inputs`; the caller frees the result. */
export function _call(
  kernelName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel == null) throw new Error(`TicketLab wasm kernels: stock kernel ${kernelName} is missing.`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

/** Releases intermediate results made by {@link _call}. */
export function _free(backend: tf.KernelBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Transposes `x` by `perm` (a new TensorInfo, caller frees). */
export function _transpose(backend: tf.KernelBackend, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return _call('Transpose', backend, { x }, { perm });
}

/** Reshapes `x` (shares data; the caller still frees the returned info). */
export function _reshape(backend: tf.KernelBackend, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return _call('Reshape', backend, { x }, { shape });
}

/** Slices `x` from `begin` with `size` (a new TensorInfo, caller frees). */
export function _slice(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  return _call('Slice', backend, { x }, { begin, size });
}

/**
 * Zero-inserts `stride − 1` rows/columns after every row/column of an NHWC tensor:
 * [N, H, W, C] → [N, H·sh, W·sw, C] (the trailing zeros are kept; callers slice them off).
 */
export function _upsampleZeros(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  strideHeight: number,
  strideWidth: number,
): tf.TensorInfo {
  if (strideHeight === 1 && strideWidth === 1) return _reshape(backend, x, [...x.shape]);
  const [n, h, w, c] = x.shape;
  const six = _reshape(backend, x, [n, h, 1, w, 1, c]);
  const padded = _call('PadV2', backend, { x: six }, {
    paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
    constantValue: 0,
  });
  const out = _reshape(backend, padded, [n, h * strideHeight, w * strideWidth, c]);
  _free(backend, six, padded);
  return out;
}
