/**
 * Turns raw repetitions into the benchmark's results: per workload the median and spread of
 * TicketLab's figure, the best PyTorch setting's figure, their ratio, and the issue-10 targets
 * (training ≥ 0.5× PyTorch CPU; WSN masked step ≤ 1.10× unmasked; top-c < 50 ms per step).
 */
import { fmt, summarize, type Summary } from './stats';
import type { TorchRun } from './torch-reference';
import type { RepResult, Workload } from './workloads/types';

/** Issue 10's targets. */
export const TARGETS = Object.freeze({ minTorchRatio: 0.5, maxMaskedRatio: 1.1, maxTopCMs: 50 });

/** TicketLab's result for one workload. */
export interface WorkloadResult {
  readonly name: string;
  readonly title: string;
  readonly unit: Workload['unit'];
  readonly batch?: number;
  /** The headline figure: samples/s, or ms per step for `ms/step` workloads. */
  readonly value: Summary;
  /** The headline figure of each repetition, in order (for pairing with an interleaved workload). */
  readonly values: readonly number[];
  /** The workload whose repetitions alternated with this one's, if any (WSN masked/unmasked pairs). */
  readonly interleavedWith?: string;
  /** Wall milliseconds per repetition. */
  readonly repMs: Summary;
  /** Process CPU time / wall time per repetition (≈ threads busy; low values mean waiting). */
  readonly cpuPerWall: Summary;
  /** Per-part milliseconds, for workloads that report a breakdown. */
  readonly parts?: Record<string, Summary>;
  /** Tensors still allocated after dispose (should be 0). */
  readonly leakedTensors: number;
}

/** The PyTorch reference for one workload: the best setting and all settings tried. */
export interface TorchResult {
  readonly best: { readonly threads: number; readonly ompWaitPolicy: string | null; readonly value: Summary };
  readonly settings: readonly { readonly threads: number; readonly ompWaitPolicy: string | null; readonly value: Summary; readonly cpuPerWall: Summary }[];
}

/** One row of the comparison table. */
export interface ComparisonRow {
  readonly name: string;
  readonly ticketlab: Summary;
  readonly unit: Workload['unit'];
  readonly torch?: TorchResult;
  /** TicketLab / PyTorch throughput (samples/s), or PyTorch / TicketLab time (ms/step): > 1 is TicketLab faster. */
  readonly ratio?: number;
  /** The target and whether it is met, in words. */
  readonly target?: { readonly text: string; readonly met: boolean };
}

/** The WSN masked-vs-unmasked comparison of one architecture. */
export interface MaskedRow {
  readonly masked: string;
  readonly unmasked: string;
  /**
   * Masked step time / unmasked step time: the median over repetition pairs when the two ran
   * interleaved (unmasked, masked, unmasked, …: both see the same machine state), else the
   * ratio of the median throughputs.
   */
  readonly ratio: number;
  /** Smallest and largest pair ratio (interleaved runs only). */
  readonly pairs?: { readonly min: number; readonly max: number; readonly n: number };
  readonly torchRatio?: number;
  readonly met: boolean;
}

/** Summarises one workload's repetitions. */
export function summarizeReps(
  w: Workload, reps: readonly RepResult[], cpuMs: readonly number[], leakedTensors: number, interleavedWith?: string,
): WorkloadResult {
  const value = w.unit === 'ms/step' ? reps.map((r) => r.ms) : reps.map((r) => (1000 * r.samples) / r.ms);
  const partNames = [...new Set(reps.flatMap((r) => Object.keys(r.parts ?? {})))];
  const parts = partNames.length
    ? Object.fromEntries(partNames.map((p) => [p, summarize(reps.map((r) => r.parts?.[p] ?? NaN))]))
    : undefined;
  return {
    name: w.name,
    title: w.title,
    unit: w.unit,
    batch: w.batch,
    value: summarize(value),
    values: value,
    interleavedWith,
    repMs: summarize(reps.map((r) => r.ms)),
    cpuPerWall: summarize(reps.map((r, i) => cpuMs[i] / r.ms)),
    parts,
    leakedTensors,
  };
}

/** Picks the best torch setting per workload (highest samples/s, or lowest ms/step). */
export function torchResults(runs: readonly TorchRun[], units: ReadonlyMap<string, Workload['unit']>): Map<string, TorchResult> {
  const out = new Map<string, TorchResult>();
  for (const [name, unit] of units) {
    const settings = runs
      .filter((r) => r.results[name])
      .map((r) => {
        const s = r.results[name];
        const value = unit === 'ms/step' ? s.ms : s.samples.map((n, i) => (1000 * n) / s.ms[i]);
        return { threads: r.threads, ompWaitPolicy: r.ompWaitPolicy, value: summarize(value), cpuPerWall: summarize(s.cpuMs.map((c, i) => c / s.ms[i])) };
      });
    if (settings.length === 0) continue;
    const better = (a: Summary, b: Summary) => (unit === 'ms/step' ? a.median < b.median : a.median > b.median);
    const best = settings.reduce((a, b) => (better(b.value, a.value) ? b : a));
    out.set(name, { best: { threads: best.threads, ompWaitPolicy: best.ompWaitPolicy, value: best.value }, settings });
  }
  return out;
}

/** The comparison rows and the masked-vs-unmasked rows. */
export function compare(
  workloads: readonly Workload[],
  results: ReadonlyMap<string, WorkloadResult>,
  torch: ReadonlyMap<string, TorchResult>,
): { rows: ComparisonRow[]; masked: MaskedRow[] } {
  const rows: ComparisonRow[] = [];
  const masked: MaskedRow[] = [];
  for (const w of workloads) {
    const r = results.get(w.name);
    if (!r) continue;
    const t = w.torch ? torch.get(w.torch) : undefined;
    const ratio = t ? (w.unit === 'ms/step' ? t.best.value.median / r.value.median : r.value.median / t.best.value.median) : undefined;
    let target: ComparisonRow['target'];
    if (w.unit === 'ms/step') {
      target = { text: `< ${TARGETS.maxTopCMs} ms`, met: r.value.median < TARGETS.maxTopCMs };
    } else if (ratio !== undefined && w.batch !== undefined && !w.unmaskedOf) {
      target = { text: `≥ ${TARGETS.minTorchRatio}× PyTorch`, met: ratio >= TARGETS.minTorchRatio };
    }
    rows.push({ name: w.name, ticketlab: r.value, unit: w.unit, torch: t, ratio, target });
    const base = w.unmaskedOf ? results.get(w.unmaskedOf) : undefined;
    if (w.unmaskedOf && base) {
      // Samples/s unmasked / masked = step time masked / unmasked.
      const paired = r.interleavedWith === base.name && r.values.length === base.values.length;
      const pairRatios = paired ? summarize(r.values.map((v, i) => base.values[i] / v)) : undefined;
      const stepRatio = pairRatios ? pairRatios.median : base.value.median / r.value.median;
      const tm = w.torch ? torch.get(w.torch) : undefined;
      const tu = torch.get(workloads.find((x) => x.name === w.unmaskedOf)?.torch ?? '');
      masked.push({
        masked: w.name,
        unmasked: w.unmaskedOf,
        ratio: stepRatio,
        pairs: pairRatios && { min: pairRatios.min, max: pairRatios.max, n: pairRatios.n },
        torchRatio: tm && tu ? tu.best.value.median / tm.best.value.median : undefined,
        met: stepRatio <= TARGETS.maxMaskedRatio,
      });
    }
  }
  return { rows, masked };
}

const spread = (s: Summary) => `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`;

/** The printed table (Markdown, so it pastes into reports). */
export function formatTable(rows: readonly ComparisonRow[], masked: readonly MaskedRow[], results: ReadonlyMap<string, WorkloadResult>): string {
  const lines = [
    '| workload | unit | TicketLab median [min–max] | TicketLab CPU/wall | PyTorch best [min–max] (threads) | TicketLab vs PyTorch | target | met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const cpu = results.get(r.name)?.cpuPerWall.median;
    const t = r.torch ? `${spread(r.torch.best.value)} (${r.torch.best.threads}T${r.torch.best.ompWaitPolicy ? ' ' + r.torch.best.ompWaitPolicy : ''})` : '—';
    const ratio = r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`;
    const target = r.target ? r.target.text : '—';
    const met = r.target ? (r.target.met ? 'yes' : 'NO') : '—';
    lines.push(`| ${r.name} | ${r.unit} | ${spread(r.ticketlab)} | ${cpu === undefined ? '—' : cpu.toFixed(2)} | ${t} | ${ratio} | ${target} | ${met} |`);
  }
  if (masked.length) {
    lines.push(
      '', '| WSN masked step | step time masked / unmasked (TicketLab; interleaved pairs: median [min–max]) | same in PyTorch | target | met |',
      '|---|---|---|---|---|',
    );
    for (const m of masked) {
      const tr = m.torchRatio === undefined ? '—' : `${m.torchRatio.toFixed(2)}×`;
      const range = m.pairs ? ` [${m.pairs.min.toFixed(2)}–${m.pairs.max.toFixed(2)}] over ${m.pairs.n} pairs` : ' (medians of separate runs)';
      lines.push(`| ${m.masked} vs ${m.unmasked} | ${m.ratio.toFixed(2)}×${range} | ${tr} | ≤ ${TARGETS.maxMaskedRatio}× | ${m.met ? 'yes' : 'NO'} |`);
    }
  }
  for (const r of results.values()) {
    if (!r.parts) continue;
    lines.push('', `${r.name} parts (median ms): ` + Object.entries(r.parts).map(([k, s]) => `${k} ${fmt(s.median)}`).join(', '));
  }
  return lines.join('\n');
}
