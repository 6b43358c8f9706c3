// Public API of src/experiment: re-exports only.
export type { Benchmark, BenchmarkOptions, BenchmarkOverrides } from './benchmark-types';
export { benchmarkNames, benchmarks, getBenchmark, resolveBenchmark, type BenchmarkName, type ResolvedBenchmark } from './benchmarks';
export { offlinePermutedBenchmark, offlineSplitBenchmark } from './offline-benchmarks';
export {
  cifar100SplitBenchmark,
  cifar100SuperclassBenchmark,
  fiveDatasetsBenchmark,
  omniglotRotationBenchmark,
  pmnistBenchmark,
  tinyImageNetBenchmark,
} from './real-benchmarks';
export type { EventSource, ExperimentEvent, RunExperimentOptions, SeedResult } from './experiment-types';
export { SUMMARY_METRICS, type ExperimentResult } from './experiment-result';
export { nonDefaultOptions, runId, RUN_FORMAT_VERSION } from './run-id';
export { DEFAULT_CACHE_DIR, runExperiment } from './run-experiment';
export { formatExperimentEvent } from './format-event';
export { offlineBanner, scenarioOrOffline, type ScenarioChoice, type ScenarioOrOfflineOptions } from './scenario-or-offline';
