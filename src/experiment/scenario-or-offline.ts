/**
 * A benchmark's scenario from real data when `dataDir` has it, else its offline stand-in: the
 * choice every paper notebook makes for each table column, with the banner that says so.
 */
import type { Scenario } from '../data/types';
import { DatasetNotFoundError } from '../errors';
import type { BenchmarkOverrides } from './benchmark-types';
import { getBenchmark, resolveBenchmark } from './benchmarks';

/** What {@link scenarioOrOffline} chose. */
export interface ScenarioChoice {
  /** The paper's benchmark this stands for. */
  readonly paper: string;
  /** The benchmark actually run: `paper`, or the offline stand-in. */
  readonly benchmark: string;
  /** Overrides of the benchmark actually run. */
  readonly overrides: BenchmarkOverrides;
  /** True when the real data were missing and the stand-in is used. */
  readonly offline: boolean;
  readonly scenario: Scenario;
}

/** Options of {@link scenarioOrOffline}. */
export interface ScenarioOrOfflineOptions {
  /** The real benchmark, e.g. `pmnist`. */
  readonly benchmark: string;
  /** Its offline stand-in, e.g. `offline-permuted`. */
  readonly offline: string;
  readonly overrides?: BenchmarkOverrides;
  readonly offlineOverrides?: BenchmarkOverrides;
  /** Seed of the scenario. */
  readonly seed: number;
  /** Folder with one sub-folder per dataset. */
  readonly dataDir?: string;
}

/**
 * Builds `benchmark`'s scenario; when its dataset is not in `dataDir` (DatasetNotFoundError),
 * builds the `offline` stand-in instead. Other errors propagate.
 * @throws UnknownNameError for unknown benchmark names, InvalidArgumentError for bad overrides
 * @example
 * ```ts
 * const column = await scenarioOrOffline({ benchmark: 'pmnist', offline: 'offline-permuted', seed: 0, dataDir: '../data' });
 * ```
 */
export async function scenarioOrOffline(options: ScenarioOrOfflineOptions): Promise<ScenarioChoice> {
  const overrides = options.overrides ?? {};
  try {
    const real = resolveBenchmark(options.benchmark, overrides);
    const scenario = await real.benchmark.scenario(real.options, options.seed, options.dataDir);
    return { paper: options.benchmark, benchmark: options.benchmark, overrides, offline: false, scenario };
  } catch (error) {
    if (!(error instanceof DatasetNotFoundError)) throw error;
    const offlineOverrides = options.offlineOverrides ?? {};
    const stand = resolveBenchmark(options.offline, offlineOverrides);
    const scenario = await stand.benchmark.scenario(stand.options, options.seed, options.dataDir);
    return { paper: options.benchmark, benchmark: options.offline, overrides: offlineOverrides, offline: true, scenario };
  }
}

/**
 * The MIME bundle (`text/html` + `text/plain`) of the banner a notebook shows when a column runs
 * its offline stand-in. No display call: pass it to the kernel's `display`.
 */
export function offlineBanner(choice: Pick<ScenarioChoice, 'paper' | 'benchmark'>, dataDir: string): { 'text/html': string; 'text/plain': string } {
  return {
    'text/html':
      '<div style="border:2px solid #d97706;background:#fffbeb;padding:8px 12px;border-radius:4px">' +
      `<b>Offline benchmark.</b> The data of <code>${choice.paper}</code> are not in <code>${dataDir}</code>, so this ` +
      `column runs <code>${choice.benchmark}</code> (${getBenchmark(choice.benchmark).description}). Accuracies are not comparable ` +
      'with the paper; only the qualitative claims are. Put the dataset there (or set <code>TICKETLAB_DATA_DIR</code>) for the real run.</div>',
    'text/plain': `OFFLINE BENCHMARK: no ${choice.paper} data in ${dataDir}; running ${choice.benchmark} instead.`,
  };
}
