/**
 * The offline GPU bundle (scripts/gpu-bundle/build.ts): its one JS file runs end to end in a
 * folder with no node_modules of ours, on the CPU (wasm), with a copy of this Node beside it —
 * as run.sh runs it on a GPU machine. Node and the apt .debs are left out here (xz -9 of Node
 * takes minutes); `npx tsx scripts/gpu-bundle/build.ts` packs them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_LIMIT_BYTES, buildGpuBundle } from '../../scripts/gpu-bundle/build';

test('the bundle builds under 64 MiB and its single JS file trains and runs WSN without node_modules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-gpu-bundle-'));
  try {
    const built = buildGpuBundle({ outDir: path.join(dir, 'bundle'), node: false, debs: false });
    assert.ok(built.totalBytes < BUNDLE_LIMIT_BYTES);
    for (const f of ['gpu-bench.js', 'run.sh', 'dawn.node.xz', 'pytorch_cuda.py', 'pytorch_reference.py', 'tfjs-backend-wasm-simd.wasm']) {
      assert.ok(f in built.files, `${f} is in the bundle`);
    }
    const node = path.join(dir, 'node');
    fs.copyFileSync(process.execPath, node);
    fs.chmodSync(node, 0o755);
    const out = path.join(dir, 'out.json');
    execFileSync(
      node,
      ['gpu-bench.js', '--backend=wasm', '--quick', '--workloads=mlp-b64,mlp-b64-wsn', '--reps=1', '--warmup=0', '--tasks=2', `--out=${out}`],
      { cwd: built.outDir, env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
    );
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(result.backend.name, 'wasm');
    for (const w of ['mlp-b64', 'mlp-b64-wsn']) {
      assert.ok(result.workloads[w].samplesPerSecond > 0, `${w} throughput`);
      assert.equal(result.workloads[w].leakedTensors, 0, `${w} leaks no tensors`);
    }
    assert.ok(result.maskedOverUnmasked['mlp-b64-wsn'] > 0);
    assert.equal(result.wsnRun.accuracyMatrix.length, 2);
    assert.ok(result.wsnRun.acc > 0 && result.wsnRun.acc <= 100);
    assert.equal(result.wsnRun.bwt, 0, 'WSN forgets nothing');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
