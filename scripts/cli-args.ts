/**
 * Command-line flags of the experiment scripts, parsed into runExperiment specs. Method specs:
 * `wsn:0.1` (WSN with keepFraction 0.1), `wsn:keepFraction=0.1,reinitScores=true`,
 * `packnet`, `ewc:lambda=1000`. Benchmark overrides: `--set epochs=2 --set numTasks=5`.
 */
import { InvalidArgumentError } from '../src/errors';

/** Parsed flags. */
export interface CliArgs {
  readonly benchmark: string;
  /** Method specs in order; empty: the script's default list. */
  readonly methods: readonly { readonly method: string; readonly options: Record<string, unknown> }[];
  readonly seeds: readonly number[];
  readonly overrides: Record<string, string | number | boolean>;
  readonly dataDir?: string;
  readonly cacheDir: string | null | undefined;
  readonly report: string;
  readonly help: boolean;
}

function value(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** Parses `name`, `name:c` or `name:key=value,key=value`. */
export function parseMethodSpec(spec: string): { method: string; options: Record<string, unknown> } {
  const [method, rest] = spec.split(/:(.*)/s, 2);
  const options: Record<string, unknown> = {};
  if (rest) {
    if (!rest.includes('=')) options.keepFraction = value(rest);
    else {
      for (const pair of rest.split(',')) {
        const [k, v] = pair.split('=');
        if (!k || v === undefined) throw new InvalidArgumentError(`--methods: cannot read option "${pair}" of "${spec}"; write key=value, e.g. wsn:keepFraction=0.1.`);
        options[k] = value(v);
      }
    }
  }
  return { method, options };
}

/**
 * Parses argv (without node and script).
 * @throws InvalidArgumentError for an unknown flag or a flag without its value
 */
export function parseCliArgs(argv: readonly string[], defaults: { benchmark: string; report: string; seeds: readonly number[] }): CliArgs {
  let benchmark = defaults.benchmark;
  let report = defaults.report;
  let seeds = [...defaults.seeds];
  let methods: CliArgs['methods'] = [];
  const overrides: Record<string, string | number | boolean> = {};
  let dataDir: string | undefined;
  let cacheDir: string | null | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new InvalidArgumentError(`${flag} needs a value. Run with --help for the flags.`);
      return v;
    };
    switch (flag) {
      case '--benchmark': benchmark = next(); break;
      case '--methods': methods = next().split(/\s+|;/).filter(Boolean).map(parseMethodSpec); break;
      case '--seeds': seeds = next().split(',').map(Number); break;
      case '--set': {
        const [k, v] = next().split('=');
        if (!k || v === undefined) throw new InvalidArgumentError(`--set needs key=value, e.g. --set epochs=2; got "${argv[i]}".`);
        overrides[k] = value(v);
        break;
      }
      case '--data-dir': dataDir = next(); break;
      case '--cache-dir': cacheDir = next(); break;
      case '--no-cache': cacheDir = null; break;
      case '--report': report = next(); break;
      case '--help': case '-h': help = true; break;
      default:
        throw new InvalidArgumentError(`Unknown flag "${flag}". Flags: --benchmark, --methods, --seeds, --set, --data-dir, --cache-dir, --no-cache, --report, --help.`);
    }
  }
  return { benchmark, methods, seeds, overrides, dataDir, cacheDir, report, help };
}
