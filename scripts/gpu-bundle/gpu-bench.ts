/**
 * Entry of the offline GPU bundle (built by scripts/gpu-bundle/build.ts into one JS file):
 * the benchmark's training workloads (bench/workloads: MLP b64/b256, AlexNet-like, reduced
 * ResNet-18, WSN masked vs unmasked steps) on the chosen backend, then a short end-to-end WSN
 * run on offline permuted glyphs (ACC/BWT, to compare with the same run on the CPU). Prints
 * progress on stderr and one JSON object on stdout (and to --out if given).
 *
 *   node gpu-bench.js [--backend=webgpu|wasm|cpu] [--quick] [--reps=N] [--warmup=N]
 *                     [--workloads=a,b] [--tasks=N] [--no-wsn-run] [--out=file.json]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { workloads } from '../../bench/workloads/registry';
import type { RepResult, WorkloadSettings } from '../../bench/workloads/types';
import { initBackend } from '../../src/backend/init-backend';
import type { BackendName } from '../../src/backend/backend-report';
import { runExperiment } from '../../src/experiment/run-experiment';

const BACKENDS = ['webgpu', 'wasm', 'cpu', 'node-gpu', 'node'] as const;
/** Training workloads only: top-c and data batching do not touch the GPU. */
const GPU_WORKLOADS = ['mlp-b64', 'mlp-b256', 'alexnet', 'resnet18', 'mlp-b64-wsn', 'alexnet-wsn'];
const USAGE =
  'usage: node gpu-bench.js [--backend=webgpu|wasm|cpu|node-gpu|node] [--quick] [--reps=N] [--warmup=N] ' +
  '[--workloads=a,b] [--tasks=N] [--no-wsn-run] [--out=file.json]';

interface Args {
  backend: BackendName;
  quick: boolean;
  reps: number;
  warmup: number;
  names: string[];
  tasks: number;
  wsnRun: boolean;
  out: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`gpu-bench: unexpected argument "${a}". ${USAGE}`);
    flags.set(m[1], m[2] ?? 'true');
  }
  const known = ['backend', 'quick', 'reps', 'warmup', 'workloads', 'tasks', 'no-wsn-run', 'out'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`gpu-bench: unknown flag --${k}. ${USAGE}`);
  const backend = flags.get('backend') ?? 'webgpu';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new Error(`gpu-bench: --backend must be one of ${BACKENDS.join(', ')}; got "${backend}".`);
  const quick = flags.has('quick');
  const int = (key: string, fallback: number, min: number): number => {
    const v = Number(flags.get(key) ?? fallback);
    if (!Number.isInteger(v) || v < min) throw new Error(`gpu-bench: --${key} must be an integer ≥ ${min}; got ${flags.get(key)}.`);
    return v;
  };
  const names = flags.get('workloads')?.split(',').filter(Boolean) ?? GPU_WORKLOADS;
  for (const n of names) if (!GPU_WORKLOADS.includes(n)) throw new Error(`gpu-bench: unknown workload "${n}". Known: ${GPU_WORKLOADS.join(', ')}.`);
  return {
    backend: backend as BackendName,
    quick,
    reps: int('reps', quick ? 2 : 5, 1),
    warmup: int('warmup', 1, 0),
    names,
    tasks: int('tasks', quick ? 2 : 3, 1),
    wsnRun: !flags.has('no-wsn-run'),
    out: flags.get('out') ?? null,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function measure(name: string, settings: WorkloadSettings) {
  const w = workloads.find((x) => x.name === name)!;
  const before = tf.memory().numTensors;
  const t0 = Date.now();
  const prepared = await w.prepare(settings);
  const reps: RepResult[] = [];
  try {
    for (let i = 0; i < settings.warmup; i++) await prepared.rep();
    for (let i = 0; i < settings.reps; i++) reps.push(await prepared.rep());
  } finally {
    prepared.dispose();
  }
  const perSecond = reps.map((r) => (r.samples * 1000) / r.ms);
  return {
    title: w.title,
    batch: w.batch ?? null,
    unmaskedOf: w.unmaskedOf ?? null,
    samplesPerSecond: median(perSecond),
    min: Math.min(...perSecond),
    max: Math.max(...perSecond),
    reps: perSecond,
    secondsWithWarmup: (Date.now() - t0) / 1000,
    leakedTensors: tf.memory().numTensors - before,
  };
}

async function wsnRun(tasks: number, quick: boolean) {
  const t0 = Date.now();
  const result = await runExperiment({
    benchmark: 'offline-permuted',
    method: 'wsn',
    options: { keepFraction: 0.5 },
    seeds: [0],
    overrides: { numTasks: tasks, epochs: quick ? 1 : 2, trainCount: quick ? 200 : 800, testCount: quick ? 100 : 300 },
    cacheDir: null,
    onProgress: (e) => {
      if (e.kind === 'task-end') console.error(`  wsn task ${e.task}: accuracies ${e.accuracies.map((a) => a.toFixed(1)).join(', ')} (${e.seconds.toFixed(1)} s)`);
    },
  });
  const seed = result.seeds[0];
  return {
    benchmark: 'offline-permuted',
    tasks,
    acc: seed.acc,
    bwt: seed.bwt,
    accuracyMatrix: seed.accuracyMatrix,
    seconds: (Date.now() - t0) / 1000,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const report = await initBackend({ backend: args.backend, quiet: true });
  console.error(`gpu-bench: backend ${report.name} (${report.device})`);
  const settings: WorkloadSettings = { reps: args.reps, warmup: args.warmup, quick: args.quick };
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const name of args.names) {
    results[name] = await measure(name, settings);
    console.error(`  ${name.padEnd(12)} ${results[name].samplesPerSecond.toFixed(1)} samples/s`);
  }
  const masking: Record<string, number> = {};
  for (const [name, r] of Object.entries(results)) {
    if (r.unmaskedOf && results[r.unmaskedOf]) masking[name] = r.samplesPerSecond / results[r.unmaskedOf].samplesPerSecond;
  }
  const out = {
    tool: 'ticketlab gpu-bench',
    backend: { name: report.name, tfjs: report.tfjsName, device: report.device, notes: report.notes, skipped: report.skipped },
    node: process.version,
    host: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '' },
    mode: args.quick ? 'quick' : 'full',
    reps: args.reps,
    warmup: args.warmup,
    workloads: results,
    maskedOverUnmasked: masking,
    wsnRun: args.wsnRun ? await wsnRun(args.tasks, args.quick) : null,
  };
  const text = JSON.stringify(out, null, 1);
  if (args.out) fs.writeFileSync(args.out, text + '\n');
  console.log(text);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`gpu-bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
