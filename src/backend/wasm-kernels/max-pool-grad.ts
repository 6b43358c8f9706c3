/**
 * `MaxPoolGrad` for wasm as one scatter pass over the pooling windows, on views of the wasm heap.
 * The stock kernel took 194 ms for one [64, 29, 29, 64] pool-2 gradient (AlexNet's first
 * block), 14 % of a training step. Here every output window finds its maximum once (the first
 * maximum in row-major window order wins, as on the cpu backend and in PyTorch) and adds its dy
 * there; channels are the inner loop, so all reads are contiguous.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's backend used here (public methods of BackendWasm). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as unknown as WasmHeapBackend;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput([...input.shape], 'float32'); // allocate first: it may grow the heap
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  let o = 0; // offset of dy[b, oh, ow, 0]
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++, o += c) {
        const c0 = ow * strideWidth - left;
        best.fill(-Infinity);
        where.fill(-1);
        for (let wr = 0; wr < fh; wr += dilationHeight) {
          const r = r0 + wr;
          if (r < 0 || r >= inHeight) continue;
          for (let wc = 0; wc < fw; wc += dilationWidth) {
            const col = c0 + wc;
            if (col < 0 || col >= inWidth) continue;
            const base = ((b * inHeight + r) * inWidth + col) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++) if (where[ch] >= 0) dx[where[ch]] += g[o + ch];
      }
    }
  }
  return out;
}

/** Kernel config: `MaxPoolGrad` on wasm, one argmax per window and a scatter of dy. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
