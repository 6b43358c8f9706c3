/**
 * TicketLab's training benchmark (issue 10; `npm run bench`, never a test): full training steps
 * of TicketLab's own networks through its own engine, the WSN masked step against the unmasked
 * one, top-c selection on the 20.5 M-weight Omniglot layer and dataset batch throughput; the
 * same computations in PyTorch CPU as the reference; medians with their spread; a kernel profile
 * of the conv nets' steps; JSON results in reports/bench/ for tracking. See bench/README.md.
 *
 *   npm run bench -- [--quick] [--workloads=a,b] [--reps=N] [--warmup=N] [--backend=wasm|cpu]
 *                    [--threads=N] [--no-torch] [--no-profile] [--out=path.json]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/init-backend';
import { formatProfile, profileStep, type StepProfile } from './kernel-profile';
import { formatMachine, machineInfo } from './machine';
import { compare, formatTable, summarizeReps, torchResults, type WorkloadResult } from './report';
import { fmt } from './stats';
import { runTorch, TORCH_SETTINGS, torchVersion, type TorchRun } from './torch-reference';
import { workloads } from './workloads/registry';
import type { Prepared, RepResult, Workload, WorkloadSettings } from './workloads/types';

/** Command-line options. */
interface Args {
  readonly quick: boolean;
  readonly names: readonly string[];
  readonly reps: number;
  readonly warmup: number;
  readonly backend: 'wasm' | 'cpu';
  readonly threads?: number;
  readonly torch: boolean;
  readonly profile: readonly string[];
  readonly out: string;
}

const USAGE = 'usage: npm run bench -- [--quick] [--workloads=a,b] [--reps=N] [--warmup=N] [--backend=wasm|cpu] ' +
  '[--threads=N] [--no-torch] [--no-profile] [--profile=a,b] [--out=path.json]';

function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`bench: unexpected argument "${a}". ${USAGE}`);
    flags.set(m[1], m[2] ?? 'true');
  }
  const known = ['quick', 'workloads', 'reps', 'warmup', 'backend', 'threads', 'no-torch', 'no-profile', 'profile', 'out', 'help'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`bench: unknown flag --${k}. ${USAGE}`);
  if (flags.has('help')) {
    console.log(`${USAGE}\nworkloads: ${workloads.map((w) => w.name).join(', ')}`);
    process.exit(0);
  }
  const quick = flags.has('quick');
  const all = workloads.map((w) => w.name);
  const names = flags.get('workloads')?.split(',').filter(Boolean) ?? all;
  for (const n of names) if (!all.includes(n)) throw new Error(`bench: unknown workload "${n}". Known: ${all.join(', ')}.`);
  const int = (key: string, fallback: number): number => {
    const v = Number(flags.get(key) ?? fallback);
    if (!Number.isInteger(v) || v < (key === 'warmup' ? 0 : 1)) throw new Error(`bench: --${key} must be a positive integer; got ${flags.get(key)}.`);
    return v;
  };
  const backend = flags.get('backend') ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`bench: --backend must be wasm or cpu; got "${backend}".`);
  const profileDefault = quick || flags.has('no-profile') ? [] : ['alexnet', 'resnet18'];
  const profile = flags.get('profile')?.split(',').filter(Boolean) ?? profileDefault;
  return {
    quick,
    names,
    reps: int('reps', quick ? 3 : 7),
    warmup: int('warmup', quick ? 1 : 2),
    backend,
    threads: flags.has('threads') ? int('threads', 2) : undefined,
    torch: !flags.has('no-torch'),
    profile: profile.filter((p) => names.includes(p)),
    out: flags.get('out') ?? path.join('reports', 'bench', 'latest.json'),
  };
}

/**
 * Warm-up, then timed repetitions of one workload, or of several taken in turns (a WSN masked
 * step and its unmasked twin: rep 1 of each, rep 2 of each, …, so both see the same machine
 * state and their per-pair ratio is free of drift); frees everything it made.
 */
async function measure(group: readonly Workload[], settings: WorkloadSettings): Promise<WorkloadResult[]> {
  const before = tf.memory().numTensors;
  const prepared: Prepared[] = [];
  const reps = group.map((): RepResult[] => []);
  const cpuMs = group.map((): number[] => []);
  try {
    for (const w of group) prepared.push(await w.prepare(settings));
    for (let i = 0; i < settings.warmup; i++) for (const p of prepared) await p.rep();
    for (let i = 0; i < settings.reps; i++) {
      for (const [j, p] of prepared.entries()) {
        const c0 = process.cpuUsage();
        reps[j].push(await p.rep());
        const c = process.cpuUsage(c0);
        cpuMs[j].push((c.user + c.system) / 1000);
      }
    }
  } finally {
    for (const p of prepared) p.dispose();
  }
  const leaked = tf.memory().numTensors - before;
  return group.map((w, j) => summarizeReps(w, reps[j], cpuMs[j], leaked, group.length > 1 ? group[1 - j]?.name : undefined));
}

/** The chosen workloads in measuring order: a WSN masked workload joins its unmasked twin when both are chosen. */
function measureGroups(chosen: readonly Workload[]): Workload[][] {
  const groups: Workload[][] = [];
  for (const w of chosen) {
    const twin = chosen.find((x) => x.unmaskedOf === w.name);
    if (w.unmaskedOf && chosen.some((x) => x.name === w.unmaskedOf)) continue; // measured with its twin
    groups.push(twin ? [w, twin] : [w]);
  }
  return groups;
}

async function profileWorkload(w: Workload, settings: WorkloadSettings): Promise<StepProfile | null> {
  const prepared = await w.prepare({ ...settings, quick: true });
  try {
    if (!prepared.profileStep) return null;
    await prepared.profileStep(); // warm
    return await profileStep(() => prepared.profileStep!());
  } finally {
    prepared.dispose();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const report = await initBackend({ backend: args.backend, threads: args.threads, quiet: true });
  const machine = machineInfo(report);
  const torch = args.torch ? torchVersion() : { version: null, reason: '--no-torch' };
  console.log(formatMachine(machine));
  console.log(`PyTorch: ${torch.version ? `${torch.version} (/usr/bin/python3), settings ${TORCH_SETTINGS.map((s) => `${s.threads}T${s.env.OMP_WAIT_POLICY ? ' ' + s.env.OMP_WAIT_POLICY : ''}`).join(', ')}; best quoted` : `skipped (${torch.reason})`}`);
  console.log(`mode: ${args.quick ? 'quick' : 'full'}, ${args.warmup} warm-up + ${args.reps} timed repetitions per workload\n`);
  if (machine.loadAtStart > machine.cores) {
    console.log(`WARNING: load average ${machine.loadAtStart.toFixed(1)} exceeds the ${machine.cores} cores: other processes share the CPU and every figure is low and noisy; see CPU/wall.\n`);
  }

  const chosen = workloads.filter((w) => args.names.includes(w.name));
  const settings: WorkloadSettings = { reps: args.reps, warmup: args.warmup, quick: args.quick };
  const results = new Map<string, WorkloadResult>();
  for (const group of measureGroups(chosen)) {
    const measured = await measure(group, settings);
    group.forEach((w, j) => {
      const r = measured[j];
      results.set(w.name, r);
      const unit = w.unit === 'ms/step' ? 'ms/step' : 'samples/s';
      const turns = r.interleavedWith ? `, in turns with ${r.interleavedWith}` : '';
      console.log(`TicketLab ${w.name.padEnd(15)} ${fmt(r.value.median).padStart(9)} ${unit} [${fmt(r.value.min)}–${fmt(r.value.max)}], CPU/wall ${r.cpuPerWall.median.toFixed(2)}${turns}${r.leakedTensors ? `, LEAKED ${r.leakedTensors} tensors` : ''}  — ${w.title}`);
    });
  }

  const profiles: Record<string, StepProfile> = {};
  for (const name of args.profile) {
    const p = await profileWorkload(chosen.find((w) => w.name === name)!, settings);
    if (p) {
      profiles[name] = p;
      console.log('\n' + formatProfile(name, p));
    }
  }

  const torchRuns: TorchRun[] = [];
  const torchNames = [...new Set(chosen.map((w) => w.torch).filter((t): t is string => !!t))];
  if (torch.version && torchNames.length) {
    console.log('');
    for (const setting of TORCH_SETTINGS) {
      try {
        torchRuns.push(runTorch(torchNames, setting, { reps: args.reps, warmup: args.warmup, quick: args.quick }));
      } catch (e) {
        console.log(`PyTorch ${setting.threads}T failed: ${(e as Error).message}`);
      }
    }
  }
  const units = new Map(chosen.filter((w) => w.torch).map((w) => [w.torch!, w.unit] as const));
  const torchByName = torchResults(torchRuns, units);
  for (const [name, t] of torchByName) {
    console.log(`PyTorch ${name.padEnd(15)} ` + t.settings.map((s) => `${s.threads}T: ${fmt(s.value.median)} [${fmt(s.value.min)}–${fmt(s.value.max)}] CPU/wall ${s.cpuPerWall.median.toFixed(2)}`).join('; '));
  }

  const { rows, masked } = compare(chosen, results, torchByName);
  console.log('\n' + formatTable(rows, masked, results));
  const loadAtEnd = os.loadavg()[0];
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nload average ${machine.loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end; ${seconds.toFixed(0)} s in all`);

  const json = {
    date: new Date().toISOString(),
    args,
    machine: { ...machine, loadAtEnd, torch: torch.version, torchRuns: torchRuns.map((r) => ({ threads: r.threads, ompWaitPolicy: r.ompWaitPolicy })) },
    results: Object.fromEntries(results),
    torch: Object.fromEntries(torchByName),
    comparison: rows,
    masked,
    profiles,
    seconds,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(json, null, 1));
  const stamped = path.join(path.dirname(args.out), `bench-${json.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(stamped, JSON.stringify(json, null, 1));
  console.log(`results: ${args.out} (and ${stamped})`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
