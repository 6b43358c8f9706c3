/**
 * Times one SGD training step of a small AlexNet-like conv net (batch 32, 32×32×3 input:
 * conv5×5/64 → relu → maxPool3 s2 → conv5×5/64 → relu → maxPool3 s2 → dense 384 → dense 10)
 * on one backend. Threads are fixed per process, so run one configuration per process:
 *   npx tsx bench/conv-step.ts wasm 2          # wasm, 2 threads, TicketLab kernels
 *   npx tsx bench/conv-step.ts wasm 2 stock    # same, stock Conv2DBackpropInput and BatchMatMul
 *   npx tsx bench/conv-step.ts cpu
 * Prints the median step time over the repetitions, in milliseconds.
 *
 *   npx tsx bench/conv-step.ts kernels 2       # wasm kernel variants, per shape (see kernels())
 * times the alternative ways the wasm training kernels can compute one call, on the shapes of
 * the bench's AlexNet and reduced ResNet-18 (batch 64); the per-shape rules in
 * src/backend/wasm-kernels are checked against these figures.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, stockWasmKernel } from '../src/backend/index';
import { _matMulTransposeB, _swapForTransposeB } from '../src/backend/wasm-kernels/batch-mat-mul';
import { _call, _free, _transpose } from '../src/backend/wasm-kernels/_call';
import { _fullConv } from '../src/backend/wasm-kernels/_full-conv';
import { _inputGradByPhases } from '../src/backend/wasm-kernels/conv2d-backprop-input';
import { _filterGradByConv, _filterGradByGemm } from '../src/backend/wasm-kernels/conv2d-backprop-filter';
import { _nativeConv, _nativeConvAvailable } from '../src/backend/wasm-kernels/_native-conv';
import { _hostKernels } from '../src/backend/host-kernels/index';
import { Rng } from '../src/random';

/** Conv layers of the bench's nets at batch 64: [name, H (= W), Ci, Co, K, stride, pad]. */
const convShapes: readonly [string, number, number, number, number, number, number][] = [
  ['resnet stem', 32, 3, 20, 3, 1, 1],
  ['resnet stage1', 32, 20, 20, 3, 1, 1],
  ['resnet stage2 in', 32, 20, 40, 3, 2, 1],
  ['resnet stage2 sc', 32, 20, 40, 1, 2, 0],
  ['resnet stage2', 16, 40, 40, 3, 1, 1],
  ['resnet stage3 in', 16, 40, 80, 3, 2, 1],
  ['resnet stage3 sc', 16, 40, 80, 1, 2, 0],
  ['resnet stage3', 8, 80, 80, 3, 1, 1],
  ['resnet stage4 in', 8, 80, 160, 3, 2, 1],
  ['resnet stage4 sc', 8, 80, 160, 1, 2, 0],
  ['resnet stage4', 4, 160, 160, 3, 1, 1],
  ['alexnet conv1', 32, 3, 64, 4, 1, 0],
  ['alexnet conv2', 14, 64, 128, 3, 1, 0],
  ['alexnet conv3', 6, 128, 256, 2, 1, 0],
];

/** Median wall time of `f` in ms over `reps` calls after one warm-up call. */
function medianMs(f: () => void, reps = 7): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(reps / 2)];
}

/**
 * Runs `f` on a fresh copy of `t` (a new tensor, as a weight is after each training step, so
 * XNNPACK cannot reuse what it packed for `t`) and frees the copy.
 */
function withFresh(t: tf.Tensor, f: (copy: tf.Tensor) => tf.TensorInfo): tf.TensorInfo {
  const copy = tf.add(t, 0);
  const out = f(copy);
  copy.dispose();
  return out;
}

/** Times each variant (each call returns a new TensorInfo, freed after timing). */
function compare(label: string, variants: Record<string, () => tf.TensorInfo>, chosen: string): void {
  const backend = tf.backend();
  const parts = Object.entries(variants).map(([name, run]) => {
    const ms = medianMs(() => backend.disposeData(run().dataId));
    return `${name} ${ms.toFixed(1)}${name === chosen ? '*' : ''}`;
  });
  console.log(`${label.padEnd(36)} ${parts.join('  ')}  (ms, * = chosen)`);
}

/** Times kernel variants per shape on wasm (`threads` threads). */
async function kernels(threads: number): Promise<void> {
  await initBackend({ backend: 'wasm', threads, quiet: true });
  const backend = tf.backend();
  const rng = new Rng(2);
  const rand = (shape: number[]) =>
    tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((p, q) => p * q, 1)), 0, 1), shape);
  // A · Bᵀ: dense input gradients (dY [64, N] · W [K, N]ᵀ) and the other orientation.
  for (const [m, k, n] of [[64, 2048, 2048], [64, 2048, 1024], [64, 2048, 100], [256, 512, 512],
    [1024, 256, 1024], [2048, 2048, 64], [512, 64, 512]]) {
    const a = rand([m, k]);
    const b = rand([n, k]);
    compare(`A·Bᵀ M=${m} K=${k} N=${n}`, {
      direct: () => withFresh(b, (w) => _matMulTransposeB(backend, a, w, false)),
      swapped: () => withFresh(b, (w) => _matMulTransposeB(backend, a, w, true)),
    }, _swapForTransposeB(m, k, n) ? 'swapped' : 'direct');
    tf.dispose([a, b]);
  }
  for (const [name, h, ci, co, k, stride, pad] of convShapes) {
    const x = rand([64, h, h, ci]);
    const filter = rand([k, k, ci, co]);
    const info = tf.backend_util.computeConv2DInfo(
      [64, h, h, ci], [k, k, ci, co], stride, 1, pad, undefined, false,
    );
    const dy = rand(info.outShape);
    const g = {
      inHeight: h, inWidth: h, strideHeight: stride, strideWidth: stride,
      padTop: info.padInfo.top, padLeft: info.padInfo.left,
    };
    const ng = {
      n: 64, h, w: h, ci, kh: k, kw: k, strideHeight: stride, strideWidth: stride,
      padTop: info.padInfo.top, padLeft: info.padInfo.left, ho: info.outHeight, wo: info.outWidth, co,
    };
    const native = _nativeConvAvailable(ng);
    const kernels = _hostKernels();
    const stockConv = stockWasmKernel('Conv2D')!;
    const chosen = (route: string) => (native ? 'native' : route);
    compare(`Y ${name}`, {
      xnnpack: () => withFresh(filter, (f) => stockConv.kernelFunc({
        inputs: { x, filter: f }, backend,
        attrs: { strides: stride, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined },
      } as never) as tf.TensorInfo),
      ...(native ? { native: () => withFresh(filter, (f) => _nativeConv('forward', backend, x, f, ng)) } : {}),
    }, chosen('xnnpack'));
    compare(`dX ${name}`, {
      phases: () => withFresh(filter, (f) => _inputGradByPhases(backend, dy, f, g)),
      ...(native ? { native: () => withFresh(filter, (f) => _nativeConv('inputGrad', backend, dy, f, ng)) } : {}),
    }, chosen('phases'));
    const gw = { ...g, filterHeight: k, filterWidth: k };
    compare(`dW ${name}`, {
      conv: () => withFresh(dy, (d) => _filterGradByConv(backend, x, d, gw)),
      ...(kernels ? { gemm: () => withFresh(dy, (d) => _filterGradByGemm(backend, kernels, x, d, gw)) } : {}),
      ...(native ? { native: () => withFresh(dy, (d) => _nativeConv('filterGrad', backend, x, d, ng)) } : {}),
    }, chosen(kernels ? 'gemm' : 'conv'));
    tf.dispose([x, filter, dy]);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'kernels') return kernels(Number(process.argv[3] ?? 2));
  const backend = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu';
  const threads = Number(process.argv[3] ?? 1);
  const stock = process.argv[4] === 'stock';
  const report = await initBackend({ backend, threads, quiet: true });
  if (stock) {
    for (const name of ['Conv2DBackpropInput', 'BatchMatMul']) {
      const config = stockWasmKernel(name);
      if (config) {
        tf.unregisterKernel(name, 'wasm');
        tf.registerKernel(config);
      }
    }
  }
  const batch = 32;
  const rng = new Rng(1);
  const init = (shape: number[], std: number) =>
    tf.variable(tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, std), shape));
  const w = {
    c1: init([5, 5, 3, 64], 0.1), c2: init([5, 5, 64, 64], 0.03),
    d1: init([7 * 7 * 64, 384], 0.02), d2: init([384, 10], 0.05),
  };
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(batch * 32 * 32 * 3), 0, 1), [batch, 32, 32, 3]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, () => rng.int(10)), 'int32'), 10);
  const step = () => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      let h: tf.Tensor4D = tf.relu(tf.conv2d(x, w.c1 as tf.Tensor4D, 1, 'same'));
      h = tf.maxPool(h, 3, 2, 'same'); // [B, 16, 16, 64]
      h = tf.relu(tf.conv2d(h, w.c2 as tf.Tensor4D, 1, 'same'));
      h = tf.maxPool(h, 3, 2, 'valid'); // [B, 7, 7, 64]
      const d = tf.relu(tf.matMul(tf.reshape(h, [batch, -1]), w.d1));
      return tf.losses.softmaxCrossEntropy(y, tf.matMul(d, w.d2)) as tf.Scalar;
    });
    for (const v of Object.values(w)) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
    return value.dataSync()[0];
  });
  const reps = backend === 'cpu' ? 2 : 7;
  step();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${report.name} threads=${report.threads}${stock ? ' stock-kernels' : ''}: ` +
    `${median.toFixed(1)} ms/step (${((batch * 1000) / median).toFixed(0)} samples/s)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
