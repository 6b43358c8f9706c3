/**
 * Run ids: a short hash of what makes a run's numbers what they are — benchmark, method, the
 * options that differ from their defaults (so adding a new option with the old behaviour as
 * default keeps cached runs valid, style.md) and the seed.
 */
import { createHash } from 'node:crypto';

/** Version of the cached result format; bumping it invalidates every cached run. */
export const RUN_FORMAT_VERSION = 1;

/** The options of `options` whose values differ from `defaults` (JSON comparison), sorted by key. */
export function nonDefaultOptions(options: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options).sort()) {
    if (JSON.stringify(options[key]) !== JSON.stringify(defaults[key])) out[key] = options[key];
  }
  return out;
}

/** JSON with object keys sorted at every level (a canonical form for hashing). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The run id: `<benchmark>-<method>-<16 hex digits>` where the digits hash the benchmark,
 * method, non-default method and benchmark options and the seed.
 * @example
 * ```ts
 * runId({ benchmark: 'offline-permuted', method: 'wsn', methodOptions: { keepFraction: 0.1 }, benchmarkOptions: {}, seed: 0 });
 * // 'offline-permuted-wsn-3f2a…'
 * ```
 */
export function runId(spec: {
  readonly benchmark: string;
  readonly method: string;
  readonly methodOptions: Readonly<Record<string, unknown>>;
  readonly benchmarkOptions: Readonly<Record<string, unknown>>;
  readonly seed: number;
}): string {
  const text = canonical({ v: RUN_FORMAT_VERSION, ...spec });
  return `${spec.benchmark}-${spec.method}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}
