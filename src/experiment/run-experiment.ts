/**
 * `runExperiment`: one method on one benchmark over several seeds, with the full continual
 * protocol per seed (learn task t, re-evaluate every task j ≤ t), progress events, a cache of
 * finished runs and resumable checkpoints keyed by run id (hash of benchmark, method,
 * non-default options and seed).
 */
import * as path from 'node:path';
import { describeValue, expectThat } from '../errors';
import { getMethod } from '../methods/registry';
import { expectSeed } from '../random';
import { resolveBenchmark } from './benchmarks';
import { _experimentResult, type ExperimentResult } from './experiment-result';
import type { RunExperimentOptions, SeedResult } from './experiment-types';
import { nonDefaultOptions, runId } from './run-id';
import { _runSeed } from './run-seed';

/** Default cache folder of finished runs and checkpoints, relative to the working directory. */
export const DEFAULT_CACHE_DIR = path.join('.cache', 'ticketlab', 'runs');

/** A method's default display label: `wsn c=0.1` for WSN, else the key plus non-default options. */
function defaultLabel(method: string, nonDefault: Readonly<Record<string, unknown>>, options: Readonly<Record<string, unknown>>): string {
  if (method === 'wsn') {
    const rest = Object.entries(nonDefault).filter(([k]) => k !== 'keepFraction').map(([k, v]) => ` ${k}=${v}`);
    return `wsn c=${options.keepFraction}${rest.join('')}`;
  }
  const parts = Object.entries(nonDefault).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return parts.length ? `${method} ${parts.join(' ')}` : method;
}

/**
 * Runs `method` on `benchmark` for each seed and returns the accuracy matrices, ACC, BWT, CAP,
 * wall time per task and tidy tables. Finished seeds are read from `cacheDir` without
 * training; a seed interrupted or killed mid-run resumes after its last finished task.
 * @throws UnknownNameError for an unknown method, benchmark, option or architecture;
 *   InvalidArgumentError for bad options or an architecture that does not fit the input;
 *   InterruptedError when `shouldStop` stopped a task (finished tasks stay checkpointed)
 * @example
 * ```ts
 * const result = await runExperiment({
 *   benchmark: 'offline-permuted', method: 'wsn', options: { keepFraction: 0.1 }, seeds: [0, 1, 2],
 *   onProgress: (e) => e.kind === 'task-end' && console.log(e.label, e.task + 1, e.accuracies),
 * });
 * console.log(String(result)); // method, benchmark, acc, bwt, cap as mean ± std
 * ```
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentResult> {
  const method = getMethod(options.method);
  const resolved = resolveBenchmark(options.benchmark, options.overrides ?? {});
  const methodOptions = method.resolveOptions((options.options ?? {}) as object) as Record<string, unknown>;
  if (!method.scenarios.includes('task-il')) {
    expectThat(false, `runExperiment: method "${method.name}" supports ${method.scenarios.join(', ')}; benchmark "${resolved.benchmark.name}" is task-incremental.`);
  }
  const seeds = options.seeds ?? [0];
  expectThat(Array.isArray(seeds) && seeds.length > 0, `runExperiment: seeds must be a non-empty list of seeds; got ${describeValue(seeds)}.`);
  seeds.forEach((s) => expectSeed('runExperiment', s));
  expectThat(new Set(seeds).size === seeds.length, `runExperiment: seeds must be distinct; got ${describeValue(seeds)}.`);
  const cacheDir = options.cacheDir === undefined ? DEFAULT_CACHE_DIR : options.cacheDir;
  const nonDefaultMethod = nonDefaultOptions(methodOptions, method.defaults as Record<string, unknown>);
  const label = options.label ?? defaultLabel(method.name, nonDefaultMethod, methodOptions);
  const results: SeedResult[] = [];
  for (const [seedIndex, seed] of seeds.entries()) {
    const id = runId({ benchmark: resolved.benchmark.name, method: method.name, methodOptions: nonDefaultMethod, benchmarkOptions: resolved.nonDefault, seed });
    results.push(
      await _runSeed({
        source: { runId: id, label, seed, seedIndex, seeds: seeds.length, tasks: resolved.options.numTasks },
        method,
        methodOptions,
        resolved,
        dataDir: options.dataDir,
        dir: cacheDir === null ? null : path.join(cacheDir, id),
        onProgress: options.onProgress,
        shouldStop: options.shouldStop,
      }),
    );
  }
  return _experimentResult({
    benchmark: resolved.benchmark.name,
    method: method.name,
    label,
    methodOptions,
    benchmarkOptions: resolved.options,
    seeds: results,
  });
}
