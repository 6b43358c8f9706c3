/**
 * Makes `@tensorflow/tfjs-backend-webgpu` usable in Node over Dawn (`webgpu` npm package):
 * WebGPU globals and `navigator.gpu` (the backend checks them when it is imported), Dawn's
 * event hook and a Node `readSync` (so `dataSync()` works), then the backend itself.
 * tfjs has no official Node WebGPU support (tfjs#8546); this is the glue it lacks.
 */
import { _hookDawnEvents } from './dawn-events';
import { _installWebgpuReadSync } from './read-sync';

/** What `require('webgpu')` gives (dawn.node). */
export interface _DawnModule {
  create(flags: string[]): _DawnGpu;
  globals: Record<string, unknown>;
}

/** Dawn's `GPU` object (what a browser calls `navigator.gpu`). */
export interface _DawnGpu {
  requestAdapter(options?: object): Promise<unknown>;
}

/** Notes for the backend report: what this module changed in tfjs-backend-webgpu. */
export const WEBGPU_NODE_NOTES: readonly string[] = Object.freeze([
  'readSync replaced: dataSync() maps a staging buffer and processes Dawn events synchronously (tfjs reads through OffscreenCanvas, absent in Node)',
]);

/**
 * Installs the WebGPU globals, `navigator.gpu` = `gpu`, the Dawn event hook and the Node
 * `readSync`, and imports the tfjs WebGPU backend (which registers `webgpu` with tfjs). Call it
 * once, before `tf.setBackend('webgpu')`. Idempotent.
 *
 * @param dawn the `webgpu` module
 * @param gpu the object `dawn.create([...])` returned
 */
export function _setupWebgpuForNode(dawn: _DawnModule, gpu: _DawnGpu): void {
  _hookDawnEvents();
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: unknown };
  if (nav.gpu === undefined) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webgpu = require('@tensorflow/tfjs-backend-webgpu') as { WebGPUBackend: { prototype: object } };
  _installWebgpuReadSync(webgpu.WebGPUBackend);
}
