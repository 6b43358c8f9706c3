/**
 * `dataSync()` for the tfjs WebGPU backend in Node. tfjs 4.22's `WebGPUBackend.readSync` reads
 * through `OffscreenCanvas` (a browser-only trick) and so throws "OffscreenCanvas is not defined"
 * in Node; TicketLab calls `dataSync` in every WSN step (the host top-c threshold) and in the
 * learners. We replace it with the steps of the backend's own async `getBufferData` (copy to a
 * MAP_READ staging buffer, map, copy out), waiting for the map by processing Dawn's events
 * synchronously ({@link _pumpDawnUntil}).
 */
import * as tf from '@tensorflow/tfjs-core';
import { _canPumpDawn, _pumpDawnUntil } from './dawn-events';

/** How long a synchronous read may wait for the GPU, in milliseconds. */
const READ_TIMEOUT_MS = 120_000;

interface StagingBuffer {
  readonly size: number;
  readonly mapState: string;
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}

interface TensorData {
  values: tf.backend_util.BackendValues | null;
  dtype: tf.DataType;
  resource: StagingBuffer;
  complexTensorInfos?: { real: { dataId: object }; imag: { dataId: object } };
}

/** The parts of tfjs-backend-webgpu's WebGPUBackend that the read uses. */
export interface _WebgpuBackendInternals {
  tensorMap: { get(dataId: object): TensorData };
  bufferManager: {
    acquireBuffer(size: number, usage: number): StagingBuffer;
    releaseBuffer(buffer: StagingBuffer): void;
  };
  commandEncoder: { copyBufferToBuffer(src: StagingBuffer, so: number, dst: StagingBuffer, doff: number, size: number): void };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  convertAndCacheOnCPU(dataId: object, data: tf.backend_util.BackendValues): tf.backend_util.BackendValues;
  readSync(dataId: object): tf.backend_util.BackendValues;
}

const gpuConst = globalThis as unknown as { GPUBufferUsage: Record<string, number>; GPUMapMode: Record<string, number> };

function _readBufferSync(backend: _WebgpuBackendInternals, buffer: StagingBuffer): ArrayBuffer {
  const size = buffer.size;
  const staging = backend.bufferManager.acquireBuffer(size, gpuConst.GPUBufferUsage.COPY_DST | gpuConst.GPUBufferUsage.MAP_READ);
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.commandEncoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
  backend.submitQueue();
  let failure: unknown = null;
  staging.mapAsync(gpuConst.GPUMapMode.READ).catch((e: unknown) => (failure = e));
  const mapped = _pumpDawnUntil(() => staging.mapState === 'mapped' || failure !== null, READ_TIMEOUT_MS);
  if (!mapped || failure !== null) {
    const why = failure !== null ? (failure as Error).message : `no answer within ${READ_TIMEOUT_MS} ms`;
    throw new Error(`webgpu readSync: mapping the staging buffer failed (${why}). Use await tensor.data() instead.`);
  }
  const values = staging.getMappedRange().slice(0);
  staging.unmap();
  backend.bufferManager.releaseBuffer(staging);
  return values;
}

/** The replacement `readSync`: same contract as the backend's own (values cached on the CPU). */
function _readSync(this: _WebgpuBackendInternals, dataId: object): tf.backend_util.BackendValues {
  const data = this.tensorMap.get(dataId);
  if (data.values != null || data.dtype === 'string') return data.values as tf.backend_util.BackendValues;
  if (data.dtype === 'complex64') {
    const real = this.readSync(data.complexTensorInfos!.real.dataId) as Float32Array;
    const imag = this.readSync(data.complexTensorInfos!.imag.dataId) as Float32Array;
    const merged = tf.backend_util.mergeRealAndImagArrays(real, imag);
    return this.convertAndCacheOnCPU(dataId, tf.util.convertBackendValuesAndArrayBuffer(merged.buffer, 'float32'));
  }
  const bytes = _readBufferSync(this, data.resource);
  return this.convertAndCacheOnCPU(dataId, tf.util.convertBackendValuesAndArrayBuffer(bytes, data.dtype));
}

/**
 * Replaces `readSync` on the WebGPU backend class (Node has no OffscreenCanvas). Needs Dawn's
 * event hook installed before the device was created.
 *
 * @param backendClass `WebGPUBackend` from `@tensorflow/tfjs-backend-webgpu`
 */
export function _installWebgpuReadSync(backendClass: { prototype: object }): void {
  (backendClass.prototype as { readSync: unknown }).readSync = function (this: _WebgpuBackendInternals, dataId: object) {
    if (!_canPumpDawn()) {
      throw new Error('webgpu readSync: Dawn\'s event callback was never seen; call _setupWebgpuForNode before creating the backend.');
    }
    return _readSync.call(this, dataId);
  };
}
