/**
 * What {@link initBackend} chose and why: the backend names TicketLab knows, the report type
 * and its readable text form.
 */

/**
 * TicketLab's backend names, fastest first (the order initBackend tries them):
 * - `node-gpu`: `@tensorflow/tfjs-node-gpu` (libtensorflow with CUDA)
 * - `node`: `@tensorflow/tfjs-node` (libtensorflow on the CPU)
 * - `webgpu`: `@tensorflow/tfjs-backend-webgpu` over Dawn (`webgpu` npm package)
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD, threads) plus TicketLab's training kernels
 * - `cpu`: `@tensorflow/tfjs-backend-cpu` (pure JavaScript; slow for conv nets)
 */
export const BACKEND_NAMES = Object.freeze(['node-gpu', 'node', 'webgpu', 'wasm', 'cpu'] as const);

/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** A backend that was tried (or not tried) and not chosen, with the reason. */
export interface SkippedBackend {
  readonly name: BackendName;
  readonly reason: string;
}

/** The outcome of {@link initBackend}. */
export interface BackendReport {
  /** The backend in use. */
  readonly name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`): `tensorflow`, `webgpu`, `wasm` or `cpu`. */
  readonly tfjsName: string;
  /** Device or adapter description, e.g. `XNNPACK (wasm SIMD), 2 threads`. */
  readonly device: string;
  /** Threads the backend computes with, as measured (wasm: `getThreadsCount()`), not as asked. */
  readonly threads: number;
  /** Whether SIMD instructions are in use (wasm); false where it does not apply. */
  readonly simd: boolean;
  /** True when the backend was forced by the `backend` option or `TICKETLAB_BACKEND`. */
  readonly forced: boolean;
  /** Backends passed over, in trial order, each with why. */
  readonly skipped: readonly SkippedBackend[];
  /** TicketLab kernels registered for this backend (wasm training kernels), else empty. */
  readonly kernels: readonly string[];
  /** Notes on legal but noteworthy conditions (e.g. threads fell back to 1, and why). */
  readonly notes: readonly string[];
}

/**
 * A readable multi-line summary of a {@link BackendReport}, for logs and notebook output.
 *
 * @example
 * ```ts
 * console.log(formatBackendReport(await initBackend()));
 * // Backend: wasm (tfjs "wasm"), XNNPACK (wasm SIMD), 2 threads
 * //   threads 2, SIMD yes
 * //   skipped node-gpu: @tensorflow/tfjs-node-gpu is not installed ...
 * ```
 */
export function formatBackendReport(report: BackendReport): string {
  const lines = [
    `Backend: ${report.name} (tfjs "${report.tfjsName}")${report.forced ? ', forced' : ''}`,
    `  device: ${report.device}`,
    `  threads ${report.threads}, SIMD ${report.simd ? 'yes' : 'no'}`,
  ];
  if (report.kernels.length > 0) lines.push(`  TicketLab kernels: ${report.kernels.join(', ')}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const skip of report.skipped) lines.push(`  skipped ${skip.name}: ${skip.reason}`);
  return lines.join('\n');
}
