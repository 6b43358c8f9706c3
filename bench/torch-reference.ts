/**
 * Runs bench/pytorch_reference.py (PyTorch CPU, Debian's /usr/bin/python3) in child processes,
 * once per thread setting: 1 thread, and 2 threads with OMP_WAIT_POLICY=PASSIVE (without it
 * OpenMP and OpenBLAS fight over two cores, perf-notes.md). The best setting per workload is
 * the reference quoted, as perf-notes does. A benchmark aid only: the library never needs torch.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The interpreter with Debian's python3-torch (not the pyenv python3 on PATH). */
export const TORCH_PYTHON = '/usr/bin/python3';

/** One workload's raw timings from one torch setting. */
export interface TorchSamples {
  readonly samples: number[];
  readonly ms: number[];
  readonly cpuMs: number[];
}

/** One torch process's output. */
export interface TorchRun {
  readonly torch: string;
  readonly threads: number;
  readonly ompWaitPolicy: string | null;
  readonly results: Record<string, TorchSamples>;
}

/** The torch settings tried. */
export const TORCH_SETTINGS: readonly { readonly threads: number; readonly env: Record<string, string> }[] = [
  { threads: 1, env: {} },
  { threads: 2, env: { OMP_WAIT_POLICY: 'PASSIVE' } },
];

/** The torch version, or null with the reason when /usr/bin/python3 cannot import torch. */
export function torchVersion(): { version: string | null; reason?: string } {
  const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { version: null, reason: `${TORCH_PYTHON}: ${r.error.message}` };
  if (r.status !== 0) return { version: null, reason: `${TORCH_PYTHON} cannot import torch: ${r.stderr.trim().split('\n').pop()}` };
  return { version: r.stdout.trim() };
}

/**
 * Runs the reference for `workloads` with one thread setting; progress goes to stderr.
 * @throws Error when the script fails or prints no JSON
 */
export function runTorch(
  workloads: readonly string[],
  setting: (typeof TORCH_SETTINGS)[number],
  options: { reps: number; warmup: number; quick: boolean },
): TorchRun {
  const script = path.join(__dirname, 'pytorch_reference.py');
  const args = [script, '--threads', String(setting.threads), '--reps', String(options.reps), '--warmup', String(options.warmup),
    '--workloads', workloads.join(','), ...(options.quick ? ['--quick'] : [])];
  const r = spawnSync(TORCH_PYTHON, args, {
    encoding: 'utf8',
    env: { ...process.env, ...setting.env },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`pytorch_reference.py exited with ${r.status ?? r.signal}: ${r.error?.message ?? ''}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as TorchRun;
}
