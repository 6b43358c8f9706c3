/**
 * The list of training kernels TicketLab registers for the wasm backend: the ones stock
 * tfjs-backend-wasm 4.22 lacks (so a conv net or a gather can train), and faster replacements
 * for some it has. One file per kernel; add a kernel by adding its file and one line here.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { _batchMatMulConfig } from './batch-mat-mul';
import { _conv2dConfig } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-native-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-native-backprop-input';
import { identityConfig } from './identity';
import { _transposeConfig } from './transpose';
import { _maxPoolGradConfig } from './max-pool-grad';
import { _reluConfig } from './relu';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

/** Kernels added because stock wasm has none. */
const added: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels that replace a slower stock one; built from the stock config when registered. */
const replaced: readonly ((stock: tf.KernelConfig) => tf.KernelConfig)[] = [
  (stock) => ({ ...conv2dBackpropInputConfig, setupFunc: stock.setupFunc }),
  _batchMatMulConfig,
  _maxPoolGradConfig, // keeps the stock one callable and as the fallback
  (stock) => ({ ...identityConfig, setupFunc: stock.setupFunc }),
  _transposeConfig,
  _conv2dConfig,
  _reluConfig,
];
const replacedNames = ['Conv2DBackpropInput', 'BatchMatMul', 'MaxPoolGrad', 'Identity', 'Transpose', 'Conv2D', 'Relu'] as const;

let registered: readonly string[] | null = null;
const stockConfigs = new Map<string, tf.KernelConfig>();

/**
 * Registers TicketLab's wasm training kernels (once; later calls return the same list). Call it
 * before `tf.setBackend('wasm')`; {@link initBackend} does. The stock kernels that are replaced
 * stay reachable through {@link stockWasmKernel}, for tests and benchmarks.
 *
 * @returns the kernel names registered, e.g. `['Conv2DBackpropFilter', …]`
 */
export function registerWasmTrainingKernels(): readonly string[] {
  if (registered !== null) return registered;
  const names: string[] = [];
  for (const config of added) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) {
      tf.registerKernel(config);
      names.push(config.kernelName);
    }
  }
  replacedNames.forEach((name, i) => {
    const stock = tf.getKernel(name, 'wasm');
    if (stock == null) return;
    stockConfigs.set(name, stock);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(replaced[i](stock));
    names.push(name);
  });
  registered = Object.freeze(names);
  return registered;
}

/**
 * The stock tfjs-backend-wasm kernel that TicketLab replaced under `kernelName`, or undefined if
 * none was replaced. For comparisons only; it shares the wasm backend's state.
 */
export function stockWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  return stockConfigs.get(kernelName);
}
