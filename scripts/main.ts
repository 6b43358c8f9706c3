/**
 * `npm start`: the README's main job. Picks the fastest backend and prints its report, runs WSN
 * at several keep fractions c and the baselines that are registered (Finetune, PackNet) on the
 * offline permuted benchmark, prints a Table-1-style comparison (ACC, CAP, BWT, mean ± std over
 * seeds) and writes an HTML report with plots to reports/main.html. Progress goes to stderr.
 * Every flag of scripts/cli-args.ts works here too, e.g.
 * `npm start -- --benchmark offline-split --methods "wsn:0.1 finetune" --seeds 0,1,2 --set epochs=5`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBackendReport, initBackend } from '../src/backend/index';
import { benchmarkNames, getBenchmark } from '../src/experiment/benchmarks';
import type { ExperimentResult } from '../src/experiment/experiment-result';
import { formatExperimentEvent } from '../src/experiment/format-event';
import { runExperiment } from '../src/experiment/run-experiment';
import { methodNames } from '../src/methods/registry';
import { renderReport } from '../src/viz/render-report';
import { parseCliArgs } from './cli-args';
import { comparisonReport, comparisonText } from './experiment-report';

const HELP = `Usage: npm start -- [flags]
  --benchmark NAME      default offline-permuted; one of ${benchmarkNames().join(', ')}
  --methods "SPEC ..."  default "wsn:0.05 wsn:0.1 wsn:0.5 finetune packnet" (those registered);
                        SPEC = name | wsn:C | name:key=value,key=value; methods: ${methodNames().join(', ')}
  --seeds 0,1           seeds (default 0,1)
  --set key=value       benchmark override, repeatable (epochs, numTasks, trainCount, batchSize, ...)
  --data-dir DIR        folder with one sub-folder per real dataset (mnist/, cifar100/, ...)
  --cache-dir DIR       finished runs and checkpoints (default .cache/ticketlab/runs); --no-cache
  --report FILE         HTML report (default reports/main.html)`;

/** The default comparison: WSN at three c, then the baselines that exist in the registry. */
function defaultMethods(): { method: string; options: Record<string, unknown> }[] {
  const known = methodNames() as string[];
  const wsn = [0.05, 0.1, 0.5].map((c) => ({ method: 'wsn', options: { keepFraction: c } }));
  const baselines = ['finetune', 'packnet'].filter((m) => known.includes(m)).map((method) => ({ method, options: {} }));
  return [...wsn, ...baselines];
}

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2), { benchmark: 'offline-permuted', report: path.join('reports', 'main.html'), seeds: [0, 1] });
  if (args.help) {
    console.log(HELP);
    return;
  }
  const started = Date.now();
  const backend = await initBackend();
  console.log(formatBackendReport(backend));
  const benchmark = getBenchmark(args.benchmark);
  const methods = args.methods.length ? args.methods : defaultMethods();
  console.log(`\n${benchmark.name}: ${benchmark.description}`);
  console.log(`methods: ${methods.map((m) => `${m.method}${Object.keys(m.options).length ? ` ${JSON.stringify(m.options)}` : ''}`).join(', ')}; seeds: ${args.seeds.join(', ')}\n`);
  let stopping = false;
  process.once('SIGINT', () => {
    stopping = true;
    console.error('Stopping after the current step (finished tasks are checkpointed; rerun to resume). Ctrl-C again to kill.');
  });
  // The main job's default: 5 of offline-permuted's 10 tasks, so it finishes in minutes.
  const overrides = benchmark.name === 'offline-permuted' && !('numTasks' in args.overrides) ? { numTasks: 5, ...args.overrides } : args.overrides;
  if (overrides !== args.overrides) console.log('main job default: --set numTasks=5 (pass --set numTasks=10 for the full sequence)\n');
  const results: ExperimentResult[] = [];
  for (const spec of methods) {
    results.push(
      await runExperiment({
        benchmark: benchmark.name,
        method: spec.method,
        options: spec.options,
        seeds: args.seeds,
        overrides,
        dataDir: args.dataDir,
        cacheDir: args.cacheDir,
        shouldStop: () => stopping,
        onProgress: (event) => {
          const line = formatExperimentEvent(event);
          if (line) console.error(line);
        },
      }),
    );
  }
  console.log(`\n${benchmark.name}, ${args.seeds.length} seed(s), mean ± std:\n`);
  console.log(comparisonText(results));
  const title = `TicketLab main job: ${benchmark.name}`;
  const backendText = `backend ${backend.name} (${backend.device})`;
  fs.mkdirSync(path.dirname(args.report), { recursive: true });
  fs.writeFileSync(args.report, renderReport(comparisonReport(title, backendText, results)));
  console.log(`\nReport: ${args.report}   (total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error: Error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
});
