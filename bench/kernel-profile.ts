/**
 * Where a training step spends its time, kernel by kernel: `tf.profile` around one step
 * records every kernel the engine runs (forward, the gradients' kernels and the optimizer's),
 * with its wall time on synchronous backends (wasm, cpu). TicketLab's wasm training kernels
 * call the stock kernels they are built from directly, not through the engine, so nothing is
 * counted twice. Profiling adds a little overhead per kernel; compare shares, not totals.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Time of one kernel name over a step. */
export interface KernelTotal {
  readonly kernel: string;
  readonly ms: number;
  readonly calls: number;
  /** Share of the summed kernel time, 0–1. */
  readonly share: number;
}

/** One expensive kernel call, with its input shapes. */
export interface KernelCall {
  readonly kernel: string;
  readonly ms: number;
  readonly inputShapes: string;
}

/** A step's kernel profile. */
export interface StepProfile {
  /** Wall time of the profiled step (including profiling overhead). */
  readonly stepMs: number;
  /** Sum of all kernel times; the rest of the step is JS between kernels. */
  readonly kernelMs: number;
  readonly byKernel: readonly KernelTotal[];
  readonly slowestCalls: readonly KernelCall[];
}

/**
 * Profiles one call of `step` (which runs one training step).
 * @param top how many kernel names and calls to keep
 */
export async function profileStep(step: () => Promise<void>, top = 12): Promise<StepProfile> {
  const t0 = performance.now();
  const info = await tf.profile(step);
  const stepMs = performance.now() - t0;
  const totals = new Map<string, { ms: number; calls: number }>();
  const calls: KernelCall[] = [];
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernelMs += ms;
    const t = totals.get(k.name) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls += 1;
    totals.set(k.name, t);
    calls.push({ kernel: k.name, ms, inputShapes: k.inputShapes.map((s) => `[${s.join(',')}]`).join(' ') });
  }
  const byKernel = [...totals]
    .map(([kernel, t]) => ({ kernel, ms: t.ms, calls: t.calls, share: kernelMs > 0 ? t.ms / kernelMs : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
  const slowestCalls = calls.sort((a, b) => b.ms - a.ms).slice(0, top);
  return { stepMs, kernelMs, byKernel, slowestCalls };
}

/** Text table of a profile. */
export function formatProfile(name: string, p: StepProfile): string {
  const lines = [
    `kernel profile, one step of ${name}: step ${p.stepMs.toFixed(0)} ms, kernels ${p.kernelMs.toFixed(0)} ms ` +
      `(${((100 * p.kernelMs) / p.stepMs).toFixed(0)} %; the rest is JS between kernels)`,
    '  kernel                         ms   calls  share',
    ...p.byKernel.map((k) => `  ${k.kernel.padEnd(26)} ${k.ms.toFixed(1).padStart(7)} ${String(k.calls).padStart(6)} ${(100 * k.share).toFixed(1).padStart(5)} %`),
    '  slowest calls:',
    ...p.slowestCalls.slice(0, 8).map((c) => `  ${c.kernel.padEnd(26)} ${c.ms.toFixed(1).padStart(7)}  ${c.inputShapes}`),
  ];
  return lines.join('\n');
}
