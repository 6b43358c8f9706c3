/**
 * Test helper: selects a tfjs backend for a test file. Until src/backend/ lands this only
 * registers gradients and sets the backend; the backend module replaces it with initBackend().
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

/** Sets the tfjs backend for the current test process. */
export async function useTestBackend(name: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`test backend ${name} failed to initialise`);
  await tf.ready();
}
