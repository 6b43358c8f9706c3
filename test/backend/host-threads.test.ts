import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import wabt from 'wabt';
import { hostHelperCount, runSplit, runWasmParts, type SharedWasmProgram } from '../../src/backend/host-threads';
import { TicketLabError } from '../../src/errors';

/** Doubles arrays[0] into arrays[1] over its range and returns [range start, end, sum of inputs]. */
function doubleAndSum(arrays: Int32Array[], params: readonly number[], start: number, end: number, scratch: Int32Array): void {
  let sum = 0;
  for (let i = start; i < end; i++) {
    arrays[1][i] = arrays[0][i] * params[0];
    sum += arrays[0][i];
  }
  scratch[0] = start;
  scratch[1] = end;
  scratch[2] = sum;
}

/** Fails on every part but the first. */
function failAfterFirst(arrays: Int32Array[], params: readonly number[], start: number): void {
  if (start > 0) throw new RangeError(`no part at ${start}`);
}

function ints(n: number, shared: boolean): Int32Array {
  const a = new Int32Array(shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
  for (let i = 0; i < n; i++) a[i] = (i * 7) % 13;
  return a;
}

describe('host threads', () => {
  const helpers = hostHelperCount();

  it('splits shared arrays into contiguous parts in range order, with the serial result', () => {
    const n = 10_001;
    const input = ints(n, true);
    const output = new Int32Array(new SharedArrayBuffer(4 * n));
    const parts = runSplit(doubleAndSum, [input, output], [2], 3, 1000);
    assert.equal(parts.length, helpers + 1);
    assert.equal(parts[0][0], 0);
    assert.equal(parts[parts.length - 1][1], n);
    for (let p = 1; p < parts.length; p++) assert.equal(parts[p][0], parts[p - 1][1]);
    assert.equal(parts.reduce((sum, p) => sum + p[2], 0), input.reduce((a, b) => a + b, 0));
    assert.deepEqual(output, input.map((v) => 2 * v));
  });

  it('runs serially for unshared arrays and short ranges', () => {
    const n = 10_001;
    assert.equal(runSplit(doubleAndSum, [ints(n, false), new Int32Array(n)], [1], 3, 1000).length, 1);
    const input = ints(n, true);
    assert.equal(runSplit(doubleAndSum, [input, new Int32Array(new SharedArrayBuffer(4 * n))], [1], 3, n + 1).length, 1);
    assert.equal(runSplit(doubleAndSum, [input, new Int32Array(n)], [1], 3, 1000).length, 1); // one unshared array
  });

  it('reports a failing part with the kernel and the worker’s error', { skip: helpers === 0 && 'one core' }, () => {
    const input = ints(10_000, true);
    assert.throws(
      () => runSplit(failAfterFirst, [input], [], 0, 1000),
      (e: Error) => e instanceof TicketLabError && /failAfterFirst.*RangeError: no part at \d+/s.test(e.message),
    );
    assert.equal(runSplit(doubleAndSum, [input, new Int32Array(new SharedArrayBuffer(40_000))], [1], 3, 1000).length, helpers + 1);
  });

  it('runs the parts of a wasm export over shared memory on the host threads; a trap in a worker is reported', async () => {
    const text = `(module (import "env" "memory" (memory 1 1 shared))
      (func (export "fill") (param $at i32) (param $n i32) (param $value i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (i32.store (local.get $at) (local.get $value))
          (local.set $at (i32.add (local.get $at) (i32.const 4)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next))))
      (func (export "trap_unless_zero") (param $x i32) (if (local.get $x) (then unreachable))))`;
    const parsed = (await wabt()).parseWat('fill.wat', text, { threads: true });
    const binary = new Uint8Array(parsed.toBinary({}).buffer);
    parsed.destroy();
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const exports = (await WebAssembly.instantiate(binary, { env: { memory } })).instance.exports as Record<string, unknown>;
    const program: SharedWasmProgram = { id: 'test-fill', binary, memory, exports };
    const parts = [[0, 100, 7], [800, 50, 8], [1200, 10, 9]].slice(0, helpers + 1);
    runWasmParts(program, 'fill', parts);
    const words = new Int32Array(memory.buffer);
    for (const [at, n, value] of parts) {
      assert.deepEqual([...new Set(words.subarray(at / 4, at / 4 + n))], [value], `part at ${at}`);
      assert.equal(words[at / 4 + n], 0, `nothing written past part at ${at}`);
    }
    if (helpers > 0) {
      assert.throws(
        () => runWasmParts(program, 'trap_unless_zero', [[0], [1]]),
        (e: Error) => e instanceof TicketLabError && /host thread 1 failed running trap_unless_zero: RuntimeError: unreachable/.test(e.message),
      );
      runWasmParts(program, 'fill', [[0, 1, 5], [4, 1, 6]]); // the pool still works after a failure
      assert.deepEqual([words[0], words[1]], [5, 6]);
    }
  });

  it('does not keep a process alive', () => {
    const script = `
      const { runSplit } = require(${JSON.stringify(path.resolve(__dirname, '../../src/backend/host-threads.ts'))});
      const a = new Int32Array(new SharedArrayBuffer(4 * 5000));
      runSplit(function k(arrays, params, start, end, scratch) { scratch[0] = end - start; }, [a], [], 1, 100);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { timeout: 20_000, encoding: 'utf8' });
    assert.equal(run.status, 0, `exit ${run.status} (${run.signal ?? 'no signal'}): ${run.stderr}`);
  });
});
