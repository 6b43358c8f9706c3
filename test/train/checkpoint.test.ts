import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { checkpointDir, latestCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointState } from '../../src/train/checkpoint';
import { CheckpointError } from '../../src/errors';
import { Rng } from '../../src/random';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'ticketlab-ckpt-'));
}

function state(seed: number): CheckpointState {
  const rng = new Rng(seed);
  rng.normal(); // leaves a cached spare normal in the state
  return {
    taskIndex: 1,
    epoch: 7,
    accuracyMatrix: [[91.25], [88.5, 93.75]],
    rng: { run: rng.getState() },
    options: { method: 'wsn', keepFraction: 0.5 },
    extra: { schedule: { learningRate: 5e-4, patienceLeft: 3, bestLoss: 0.25 } },
    tensors: new Map<string, tf.Tensor>([
      ['fc1/kernel', tf.tensor(rng.fillNormal(new Float32Array(15)), [3, 5])],
      ['masks/0/fc1/kernel', tf.tensor([1, 0, 1, 1, 0, 0, 1], [7], 'bool')],
      ['steps', tf.tensor([3, -2, 2147483647], [3], 'int32')],
      ['scalar', tf.scalar(Math.PI)],
      ['empty', tf.zeros([0, 4])],
    ]),
  };
}

async function assertSame(dir: string, expected: CheckpointState): Promise<void> {
  const got = await loadCheckpoint(dir);
  assert.equal(got.taskIndex, expected.taskIndex);
  assert.equal(got.epoch, expected.epoch);
  assert.deepEqual(got.accuracyMatrix, expected.accuracyMatrix);
  assert.deepEqual(got.rng, expected.rng);
  assert.deepEqual(got.options, expected.options);
  assert.deepEqual(got.extra, expected.extra);
  assert.deepEqual([...got.tensors.keys()], [...expected.tensors.keys()]);
  for (const [name, t] of expected.tensors) {
    const g = got.tensors.get(name)!;
    assert.equal(g.dtype, t.dtype, name);
    assert.deepEqual(g.shape, t.shape, name);
    assert.deepEqual(g.dataSync(), t.dataSync(), name);
  }
  tf.dispose([...got.tensors.values()]);
}

test('a checkpoint round-trips weights, bool masks, int32, rng state and JSON exactly', async () => {
  await useTestBackend('cpu');
  const dir = await tempDir();
  const s = state(1);
  await saveCheckpoint(dir, s);
  await assertSame(dir, s);
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.format, 'ticketlab-checkpoint');
  assert.ok(manifest.tensors.every((e: { offset: number }) => e.offset % 8 === 0));
  assert.equal(manifest.tensors[1].byteLength, 7, 'masks take one byte per entry');
  tf.dispose([...s.tensors.values()]);
  await fs.rm(dir, { recursive: true });
});

test('a write that throws midway leaves the previous checkpoint intact and loadable', async () => {
  await useTestBackend('cpu');
  const dir = await tempDir();
  const first = state(2);
  await saveCheckpoint(dir, first);
  const probe = await fs.open(path.join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
  await probe.close();
  await fs.rm(path.join(dir, 'probe'));
  const original = proto.write;
  let calls = 0;
  proto.write = function (this: unknown, ...args: unknown[]) {
    if (++calls === 3) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    return original.apply(this, args);
  };
  const second = state(3);
  try {
    await assert.rejects(saveCheckpoint(dir, { ...second, taskIndex: 2 }), (e: unknown) => e instanceof CheckpointError && /ENOSPC/.test(e.message) && /intact/.test(e.message));
  } finally {
    proto.write = original;
  }
  await assertSame(dir, first);
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.startsWith('tensors-')).length, 1, 'the partial tensor file is removed');
  // the next save succeeds and replaces it
  await saveCheckpoint(dir, second);
  await assertSame(dir, second);
  tf.dispose([...first.tensors.values(), ...second.tensors.values()]);
  await fs.rm(dir, { recursive: true });
});

test('leftovers of a writer killed mid-save do not affect loading and are cleaned by the next save', async () => {
  await useTestBackend('cpu');
  const dir = await tempDir();
  const s = state(4);
  await saveCheckpoint(dir, s);
  // what a process killed before the manifest rename leaves behind
  await fs.writeFile(path.join(dir, 'tensors-zzz-1-0.bin'), Buffer.alloc(13, 7));
  await fs.writeFile(path.join(dir, 'manifest.json.zzz-1-0.tmp'), '{"format": "ticketlab-che');
  await assertSame(dir, s);
  await saveCheckpoint(dir, s);
  const files = await fs.readdir(dir);
  assert.equal(files.length, 2, `${files}`);
  tf.dispose([...s.tensors.values()]);
  await fs.rm(dir, { recursive: true });
});

test('corrupt, truncated or missing files raise CheckpointError naming the file', async () => {
  await useTestBackend('cpu');
  const dir = await tempDir();
  const s = state(5);
  await saveCheckpoint(dir, s);
  const bin = (await fs.readdir(dir)).find((f) => f.startsWith('tensors-'))!;
  const binPath = path.join(dir, bin);
  const bytes = await fs.readFile(binPath);
  const expectError = async (pattern: RegExp): Promise<void> => {
    await assert.rejects(loadCheckpoint(dir), (e: unknown) => e instanceof CheckpointError && pattern.test(e.message));
  };
  await fs.writeFile(binPath, bytes.subarray(0, bytes.length - 5));
  await expectError(new RegExp(`${bin}: is truncated: expected ${bytes.length} bytes, found ${bytes.length - 5}`));
  const flipped = Buffer.from(bytes);
  flipped[2] ^= 0xff;
  await fs.writeFile(binPath, flipped);
  await expectError(new RegExp(`${bin}: tensor "fc1/kernel" .* CRC-32`));
  await fs.rm(binPath);
  await expectError(new RegExp(`${bin}: cannot be read \\(ENOENT\\)`));
  const manifest = path.join(dir, 'manifest.json');
  const text = await fs.readFile(manifest, 'utf8');
  await fs.writeFile(manifest, text.slice(0, text.length / 2));
  await expectError(/manifest\.json: is not valid JSON/);
  await fs.writeFile(manifest, JSON.stringify({ ...JSON.parse(text), version: 99 }));
  await expectError(/manifest\.json: version is 99/);
  await assert.rejects(loadCheckpoint(path.join(dir, 'nope')), /nope[/\\]manifest\.json: cannot be read \(ENOENT\)/);
  tf.dispose([...s.tensors.values()]);
  await fs.rm(dir, { recursive: true });
});

test('latestCheckpoint picks the most advanced complete checkpoint', async () => {
  await useTestBackend('cpu');
  const root = await tempDir();
  assert.equal(await latestCheckpoint(root), null);
  const s = state(6);
  await saveCheckpoint(checkpointDir(root, 0, 5), { ...s, taskIndex: 0, epoch: 5 });
  await saveCheckpoint(checkpointDir(root, 1, 2), { ...s, taskIndex: 1, epoch: 2 });
  await fs.mkdir(checkpointDir(root, 2, 0)); // a first save that never completed
  assert.equal(await latestCheckpoint(root), checkpointDir(root, 1, 2));
  assert.equal(await latestCheckpoint(path.join(root, 'missing')), null);
  const complex = tf.complex([1], [2]);
  await assert.rejects(saveCheckpoint(root, { ...s, tensors: new Map([['x', complex]]) }), /tensor "x" has dtype complex64; checkpoints store float32, int32 and bool/);
  complex.dispose();
  tf.dispose([...s.tensors.values()]);
  await fs.rm(root, { recursive: true });
});
