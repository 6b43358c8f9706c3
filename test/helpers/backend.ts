/**
 * Test helper: selects a tfjs backend for a test file through the library's own initBackend,
 * so tests run the same kernels (wasm training kernels included) as user code.
 */
import { initBackend } from '../../src/backend/index';

/** Sets the tfjs backend for the current test process, quietly. */
export async function useTestBackend(name: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  await initBackend({ backend: name, quiet: true });
}
