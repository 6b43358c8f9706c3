/**
 * Probe for WebGPU in Node: `@tensorflow/tfjs-backend-webgpu` over Dawn from the `webgpu` npm
 * package (no official tfjs support: tfjs#8546). A child process first asks Dawn for an adapter
 * (time-boxed, and its stderr kept for the reason): a Dawn instance without an adapter, left in
 * this process, kept Node from exiting once wasm worker threads existed. Only if an adapter
 * exists do we create Dawn here, install the WebGPU globals and `navigator.gpu`, import the tfjs
 * backend (it checks `navigator.gpu` on import) and set it. It never throws.
 */
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs-core';
import type { ProbeResult } from './probe-result';
import { _setupWebgpuForNode, WEBGPU_NODE_NOTES } from './webgpu/setup-node';

/** How long to wait for `requestAdapter()` before giving up, in milliseconds. */
const ADAPTER_TIMEOUT_MS = 5000;

type DawnModule = import('./webgpu/setup-node')._DawnModule;

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  requestAdapterInfo?: () => Promise<AdapterLike['info']>;
}

function _timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

async function _describe(adapter: AdapterLike): Promise<string> {
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined));
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((p) => p);
  return parts.length > 0 ? `WebGPU (Dawn): ${parts.join(' ')}` : 'WebGPU (Dawn) adapter';
}

const CHILD_SCRIPT = `
const t = setTimeout(() => { console.log('timeout'); process.exit(0); }, ${ADAPTER_TIMEOUT_MS});
require('webgpu').create([]).requestAdapter().then(
  (a) => { console.log(a ? 'adapter' : 'null'); process.exit(0); },
  (e) => { console.log('error ' + e.message); process.exit(0); });`;

/** Asks Dawn for an adapter in a child process: null if one exists, else why not. */
function _adapterMissing(): string | null {
  const child = spawnSync(process.execPath, ['-e', CHILD_SCRIPT], {
    cwd: __dirname,
    encoding: 'utf8',
    timeout: ADAPTER_TIMEOUT_MS + 5000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const answer = (child.stdout ?? '').trim().split('\n').pop() ?? '';
  if (answer === 'adapter') return null;
  const dawnSays = (child.stderr ?? '')
    .split('\n')
    .filter((line) => /warning|error/i.test(line) && !/^\s+at /.test(line))
    .map((line) => line.trim())
    .slice(0, 2)
    .join(' ');
  const said = dawnSays ? `; Dawn said: ${dawnSays}` : '';
  if (answer === 'null') return `Dawn found no GPU adapter (requestAdapter() gave null${said})`;
  if (answer === 'timeout') return `requestAdapter() gave no answer within ${ADAPTER_TIMEOUT_MS} ms${said}`;
  if (answer.startsWith('error ')) return `requestAdapter() failed: ${answer.slice(6)}${said}`;
  return `the Dawn adapter check did not finish (${child.error?.message ?? `exit ${child.status}`})${said}`;
}

/**
 * Tries the WebGPU backend over Dawn. A software adapter (Mesa's lavapipe/llvmpipe, SwiftShader:
 * `info.isFallbackAdapter`) is slower than wasm, so it is used only when forced.
 */
export async function _probeWebgpu(_threads = 1, forced = false): Promise<ProbeResult> {
  try {
    require.resolve('webgpu');
  } catch {
    return { ok: false, reason: 'the webgpu package (Dawn) is not installed' };
  }
  const missing = _adapterMissing();
  if (missing !== null) return { ok: false, reason: missing };
  let dawn: DawnModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    dawn = require('webgpu') as DawnModule;
  } catch (e) {
    return { ok: false, reason: `the webgpu package (Dawn) failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
  let adapter: unknown;
  let gpu: ReturnType<DawnModule['create']>;
  try {
    gpu = dawn.create([]);
    adapter = await Promise.race([gpu.requestAdapter(), _timeout(ADAPTER_TIMEOUT_MS)]);
  } catch (e) {
    return { ok: false, reason: `Dawn could not be asked for an adapter: ${(e as Error).message.split('\n')[0]}` };
  }
  if (adapter === 'timeout') {
    return { ok: false, reason: `requestAdapter() gave no answer within ${ADAPTER_TIMEOUT_MS} ms` };
  }
  if (adapter == null) {
    return {
      ok: false,
      reason: 'Dawn found no GPU adapter in this process, though it found one in a child process',
    };
  }
  const info = (adapter as AdapterLike).info;
  if (info?.isFallbackAdapter === true && !forced) {
    return {
      ok: false,
      reason: `the only adapter is a software one (${await _describe(adapter as AdapterLike)}), slower than wasm; force backend "webgpu" to use it`,
    };
  }
  try {
    _setupWebgpuForNode(dawn, gpu);
    if (!(await tf.setBackend('webgpu'))) return { ok: false, reason: 'tf.setBackend("webgpu") returned false' };
    const sum = tf.tidy(() => tf.sum(tf.add(tf.ones([4]), tf.ones([4]))).dataSync()[0]);
    if (sum !== 8) return { ok: false, reason: `a test op on webgpu gave ${sum} instead of 8` };
  } catch (e) {
    return { ok: false, reason: `the webgpu backend failed to start: ${(e as Error).message.split('\n')[0]}` };
  }
  return {
    ok: true,
    tfjsName: 'webgpu',
    device: await _describe(adapter as AdapterLike),
    threads: 1,
    simd: false,
    notes: WEBGPU_NODE_NOTES,
  };
}
