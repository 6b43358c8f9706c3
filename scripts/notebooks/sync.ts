/**
 * Pairs notebooks with their `.ts` twins (jupytext percent format; jupytext itself is not
 * installable here).
 *
 *   npx tsx scripts/notebooks/sync.ts [--check] [--from=ts|ipynb] [notebooks/NN-topic(.ts|.ipynb) ...]
 *
 * Without files: every pair in notebooks/. Without --from the newer file of each pair wins.
 * --check writes nothing and exits 1 when a pair is missing a side, differs (naming the first
 * differing cell) or is not canonical (outputs left in the .ipynb).
 */
import path from 'node:path';
import { findRepoRoot } from '../../kernel/module-alias';
import { checkPair, listPairs, pairOf, syncPair, type PairReport, type SyncSource } from './pair';

/** Parsed command line of the sync script. */
export interface SyncArgs {
  readonly check: boolean;
  readonly from: SyncSource;
  readonly files: readonly string[];
}

/** Parses the sync script's arguments. @throws Error on an unknown flag */
export function parseSyncArgs(argv: readonly string[]): SyncArgs {
  let check = false;
  let from: SyncSource = 'newer';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '--from' || a.startsWith('--from=')) {
      const v = a === '--from' ? argv[++i] : a.slice('--from='.length);
      if (v !== 'ts' && v !== 'ipynb' && v !== 'newer') throw new Error(`sync: --from must be ts, ipynb or newer; got ${JSON.stringify(v)}.`);
      from = v;
    } else if (a === '--help' || a === '-h') throw new Error('usage: sync.ts [--check] [--from=ts|ipynb] [notebook files...]');
    else if (a.startsWith('-')) throw new Error(`sync: unknown flag "${a}". Flags: --check, --from=ts|ipynb.`);
    else files.push(a);
  }
  return { check, from, files };
}

/** Runs the sync or check; returns the reports and the exit code. */
export function runSync(args: SyncArgs, notebooksDir: string): { reports: PairReport[]; code: number } {
  const pairs = args.files.length ? args.files.map((f) => pairOf(path.resolve(f))) : listPairs(notebooksDir);
  const reports = pairs.map((p) => (args.check ? checkPair(p) : syncPair(p, args.from)));
  return { reports, code: reports.some((r) => r.status === 'drift') ? 1 : 0 };
}

if (require.main === module) {
  try {
    const { reports, code } = runSync(parseSyncArgs(process.argv.slice(2)), path.join(findRepoRoot(__dirname), 'notebooks'));
    for (const r of reports) (r.status === 'drift' ? console.error : console.log)(r.message);
    if (reports.length === 0) console.log('sync: no notebooks found.');
    process.exit(code);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
}
