import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index';
import { _hostKernels } from '../../src/backend/host-kernels/index';
import { _nativeBlas } from '../../src/backend/native-blas';
import { _filterGradByConv, _filterGradByGemm, _filterGradByIm2col, _useGemm } from '../../src/backend/wasm-kernels/conv2d-backprop-filter';
import { _inputGradByPhases } from '../../src/backend/wasm-kernels/conv2d-backprop-input';
import { data, expectSameOnWasm } from './_compare';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  n: number; h: number; w: number; ci: number; k: [number, number]; stride: [number, number]; pad: Pad;
  /** Output channels; by default 1, 3 or 5 by the case's index. */
  co?: number;
}

const pads: Pad[] = ['same', 'valid', 1, [[0, 0], [1, 2], [2, 0], [0, 0]], [[0, 0], [0, 0], [3, 1], [0, 0]]];
const cases: Case[] = [];
for (const [h, w] of [[7, 7], [8, 11], [5, 4]]) {
  for (const k of [[1, 1], [3, 3], [2, 3], [5, 5]] as [number, number][]) {
    for (const stride of [[1, 1], [2, 2], [3, 2]] as [number, number][]) {
      for (const pad of pads) {
        const ph = typeof pad === 'number' ? 2 * pad : Array.isArray(pad) ? pad[1][0] + pad[1][1] : 0;
        if (pad !== 'same' && h + ph < k[0]) continue;
        if (pad !== 'same' && w + (typeof pad === 'number' ? 2 * pad : Array.isArray(pad) ? pad[2][0] + pad[2][1] : 0) < k[1]) continue;
        cases.push({ n: 1 + (cases.length % 3), h, w, ci: 1 + (cases.length % 4), k, stride, pad });
      }
    }
  }
}

// Large enough that the native kernels split each thread's images into several cache-sized
// chunks, with chunk boundaries inside images.
const largeCases: Case[] = [
  { n: 3, h: 40, w: 37, ci: 16, k: [3, 3], stride: [1, 1], pad: 'same' },
  { n: 3, h: 40, w: 37, ci: 16, k: [3, 3], stride: [2, 2], pad: 1 },
  { n: 2, h: 33, w: 35, ci: 40, k: [1, 1], stride: [1, 1], pad: 'valid' },
  // 8+ input channels at stride 1: the native input gradient as a full convolution.
  { n: 2, h: 7, w: 6, ci: 9, k: [2, 3], stride: [1, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { n: 1, h: 5, w: 8, ci: 12, k: [3, 3], stride: [1, 1], pad: 'valid' },
  { n: 3, h: 6, w: 6, ci: 8, k: [5, 5], stride: [1, 1], pad: 'same' },
  { n: 2, h: 6, w: 7, ci: 10, k: [3, 2], stride: [1, 1], pad: 1 },
  { n: 2, h: 5, w: 5, ci: 9, k: [3, 3], stride: [1, 1], pad: 'same', co: 100 }, // wide: col2im again
];

function outShape(c: Case, co: number, depthwise: boolean): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    [c.n, c.h, c.w, c.ci], [c.k[0], c.k[1], c.ci, co], c.stride, 1, c.pad, undefined, depthwise,
  );
  return info.outShape as [number, number, number, number];
}

/** Output channels, dy and filter shapes and the conv info of case `c` (the i-th in its list). */
function shapesOf(c: Case, i: number) {
  const co = c.co ?? 1 + (i % 3) * 2;
  const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.ci, co];
  const info = tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], filterShape, c.stride, 1, c.pad, undefined, false);
  return { co, dyShape: outShape(c, co, false), filterShape, info };
}

test('Conv2DBackpropFilter and Conv2DBackpropInput on wasm match cpu for every stride, padding and kernel size', async () => {
  assert.ok(cases.length > 100);
  for (const [i, c] of [...cases, ...largeCases].entries()) {
    const { co, dyShape, filterShape } = shapesOf(c, i);
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    await expectSameOnWasm(`conv ${JSON.stringify(c)} co=${co}`, () => {
      const x = tf.tensor(data([c.n, c.h, c.w, c.ci], i), [c.n, c.h, c.w, c.ci]);
      const dy = tf.tensor(data(dyShape, i + 1000), dyShape);
      const filter = tf.tensor(data(filterShape, i + 2000), filterShape);
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape } as never) as tf.Tensor;
      const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor;
      return [dw, dx];
    });
  }
});

test('every wasm Conv2DBackpropFilter strategy (conv with batch as channels, im2col + matmul, bulk im2col + matmul) matches cpu', async () => {
  const geometry = (k: number, stride: number) => ({ filterHeight: k, filterWidth: k, strideHeight: stride, strideWidth: stride, padTop: 1, padLeft: 1 });
  assert.ok(_useGemm(geometry(3, 1)) && !_useGemm(geometry(3, 2)) && !_useGemm(geometry(4, 1)));
  for (const [i, c] of cases.entries()) {
    const { co, dyShape, filterShape, info } = shapesOf(c, i);
    const g = {
      filterHeight: info.filterHeight, filterWidth: info.filterWidth, strideHeight: info.strideHeight,
      strideWidth: info.strideWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
    };
    const byGemm = function filterGradByBulkIm2col(b: tf.KernelBackend, x: tf.TensorInfo, dy: tf.TensorInfo, geometry: typeof g): tf.TensorInfo {
      return _filterGradByGemm(b, _hostKernels()!, x, dy, geometry);
    };
    for (const strategy of [_filterGradByConv, _filterGradByIm2col, byGemm]) {
      await expectSameOnWasm(`${strategy.name} ${JSON.stringify(c)} co=${co}`, () => {
        const x = tf.tensor(data([c.n, c.h, c.w, c.ci], i), [c.n, c.h, c.w, c.ci]);
        const dy = tf.tensor(data(dyShape, i + 1000), dyShape);
        if (tf.getBackend() === 'cpu') {
          const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape };
          return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor];
        }
        return [tf.engine().makeTensorFromTensorInfo(strategy(tf.backend(), x, dy, g))];
      });
    }
  }
});

test('the wasm-only Conv2DBackpropInput strategy (phases of full convs) matches cpu', async () => {
  for (const [i, c] of cases.entries()) {
    const { co, dyShape, filterShape, info } = shapesOf(c, i);
    const g = {
      inHeight: c.h, inWidth: c.w, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
      padTop: info.padInfo.top, padLeft: info.padInfo.left,
    };
    await expectSameOnWasm(`_inputGradByPhases ${JSON.stringify(c)} co=${co}`, () => {
      const dy = tf.tensor(data(dyShape, i + 1000), dyShape);
      const filter = tf.tensor(data(filterShape, i + 2000), filterShape);
      if (tf.getBackend() === 'cpu') {
        const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: [c.n, c.h, c.w, c.ci] };
        return [tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as never) as tf.Tensor];
      }
      return [tf.engine().makeTensorFromTensorInfo(_inputGradByPhases(tf.backend(), dy, filter, g))];
    });
  }
});

test('Conv2D on the native route matches cpu for every stride, padding and kernel size', { skip: _nativeBlas() === null ? 'native BLAS not built: Conv2D is the stock XNNPACK kernel' : false }, async () => {
  const wide = [
    { n: 2, h: 7, w: 6, ci: 64, k: [3, 3], stride: [1, 1], pad: 'same' }, { n: 1, h: 6, w: 6, ci: 70, k: [2, 2], stride: [1, 1], pad: 0 },
  ] as Case[];
  for (const [i, c] of [...cases, ...largeCases, ...wide].entries()) {
    const co = c.ci >= 64 ? 64 + (i % 2) : 1 + (i % 3) * 2;
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.ci, co];
    await expectSameOnWasm(`conv2d ${JSON.stringify(c)} co=${co}`, () => [
      tf.conv2d(tf.tensor(data([c.n, c.h, c.w, c.ci], i), [c.n, c.h, c.w, c.ci]) as tf.Tensor4D, tf.tensor(data(filterShape, i + 7), filterShape) as tf.Tensor4D, c.stride, c.pad),
    ]);
  }
});

test('depthwise conv filter and input gradients on wasm match cpu, channel multipliers 1 and 2', async () => {
  for (const [i, c] of cases.entries()) {
    if (Array.isArray(c.pad)) continue; // tfjs depthwise ops take 'same', 'valid' or a number
    const m = 1 + (i % 2);
    const dyShape = outShape(c, m, true);
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.ci, m];
    const attrs = { strides: c.stride, pad: c.pad, dilations: [1, 1], dimRoundingMode: undefined };
    await expectSameOnWasm(`depthwise ${JSON.stringify(c)} m=${m}`, () => {
      const x = tf.tensor(data([c.n, c.h, c.w, c.ci], i), [c.n, c.h, c.w, c.ci]);
      const dy = tf.tensor(data(dyShape, i + 1000), dyShape);
      const filter = tf.tensor(data(filterShape, i + 2000), filterShape);
      const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape } as never) as tf.Tensor;
      const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor;
      return [dw, dx];
    });
  }
});

test('conv gradients through tf.grads agree, and dilated forward convs agree', async () => {
  for (const [i, pad] of (['same', 'valid', 2] as const).entries()) {
    await expectSameOnWasm(`grads pad=${pad}`, () => {
      const x = tf.tensor4d(data([2, 9, 9, 3], i), [2, 9, 9, 3]);
      const w = tf.tensor4d(data([3, 3, 3, 4], i + 1), [3, 3, 3, 4]);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, pad)));
      return tf.grads(loss)([x, w]);
    });
    await expectSameOnWasm(`dilated forward pad=${pad}`, () => {
      const x = tf.tensor4d(data([2, 11, 10, 3], i), [2, 11, 10, 3]);
      const w = tf.tensor4d(data([3, 3, 3, 4], i + 1), [3, 3, 3, 4]);
      return [tf.conv2d(x, w, 1, pad, 'NHWC', 2), tf.depthwiseConv2d(x, tf.slice(w, 0, [3, 3, 3, 2]), 1, pad, 'NHWC', 2)];
    });
  }
});

test('the wasm conv gradient kernels free every intermediate', async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  const run = () => tf.tidy(() => {
    const x = tf.tensor4d(data([2, 8, 8, 3], 1), [2, 8, 8, 3]);
    const w = tf.tensor4d(data([3, 3, 3, 2], 2), [3, 3, 3, 2]);
    const g1 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]);
    const g2 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 1)))([x, w]);
    return [...g1, ...g2].map((g) => tf.sum(g).dataSync()[0]);
  });
  run();
  const before = tf.engine().backend.numDataIds();
  const tensors = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) run();
  assert.equal(tf.engine().backend.numDataIds(), before);
  assert.equal(tf.memory().numTensors, tensors);
});
