/**
 * Data throughput benchmark (not a test): CIFAR-size offline data (50 000 + 10 000 images of
 * 32×32×3), generated, written as CIFAR-10 binary files to a temp dir and loaded back with the
 * real loader; then batch throughput (batch 64, seeded shuffle, crop+flip augmentation,
 * normalisation, one tensor per batch) and memory held vs the raw uint8 size (target ≤ 1.5×).
 *
 * Run: `node --expose-gc --import tsx bench/data-throughput.ts [trainCount]`
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { batches } from '../src/data/batches';
import { loadCifar10 } from '../src/data/datasets/cifar10';
import { offlineRgb } from '../src/data/offline/offline-rgb';
import { renderRows } from '../src/data/render-rows';
import { taskSplit } from '../src/data/scenarios/task-split';
import type { DatasetSplits, ImageSet } from '../src/data/types';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} images/s`;

function memory(): { rss: number; arrayBuffers: number } {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, arrayBuffers: m.arrayBuffers };
}

/** Writes an ImageSet as CIFAR binary records (label byte, then CHW pixels) in `files` equal parts. */
function writeCifarBinary(set: ImageSet, dir: string, names: readonly string[]): void {
  const per = Math.ceil(set.count / names.length);
  names.forEach((name, f) => {
    const start = f * per;
    const end = Math.min(set.count, start + per);
    const out = Buffer.alloc((end - start) * 3073);
    for (let i = start; i < end; i++) {
      const o = (i - start) * 3073;
      out[o] = set.labels[i];
      for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) out[o + 1 + c * 1024 + p] = set.images[(i * 1024 + p) * 3 + c];
    }
    fs.writeFileSync(path.join(dir, name), out);
  });
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const trainCount = Number(process.argv[2] ?? 50000);
  const testCount = Math.round(trainCount / 5);
  const raw = (trainCount + testCount) * 3072;
  console.log(`raw uint8 size: ${mb(raw)} (${trainCount} + ${testCount} images of 32x32x3)`);

  let before = memory();
  let t = performance.now();
  const generated: DatasetSplits = offlineRgb({ seed: 1, trainCount, testCount, numSuperclasses: 2, classesPerSuperclass: 5 });
  let ms = performance.now() - t;
  let after = memory();
  console.log(`generate offline-rgb: ${(ms / 1000).toFixed(2)} s, ${rate(trainCount + testCount, ms)}`);
  console.log(`  held: arrayBuffers +${mb(after.arrayBuffers - before.arrayBuffers)} (${((after.arrayBuffers - before.arrayBuffers) / raw).toFixed(2)}x raw), rss +${mb(after.rss - before.rss)}`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-cifar-'));
  const folder = path.join(dir, 'cifar-10-batches-bin');
  fs.mkdirSync(folder);
  writeCifarBinary(generated.train, folder, ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin']);
  writeCifarBinary(generated.test, folder, ['test_batch.bin']);
  fs.writeFileSync(path.join(folder, 'batches.meta.txt'), Array.from({ length: 10 }, (_, i) => `class${i}`).join('\n') + '\n');

  before = memory();
  t = performance.now();
  const loaded = await loadCifar10(dir);
  ms = performance.now() - t;
  after = memory();
  const same = Buffer.compare(Buffer.from(loaded.train.images.buffer, loaded.train.images.byteOffset, loaded.train.images.byteLength), Buffer.from(generated.train.images)) === 0;
  console.log(`load CIFAR-10 binary: ${(ms / 1000).toFixed(2)} s, ${rate(loaded.train.count + loaded.test.count, ms)}, round trip identical: ${same}`);
  const loadedBytes = after.arrayBuffers - before.arrayBuffers;
  console.log(`  held: arrayBuffers +${mb(loadedBytes)} (${(loadedBytes / raw).toFixed(2)}x raw), rss +${mb(after.rss - before.rss)}`);
  fs.rmSync(dir, { recursive: true, force: true });

  const task = taskSplit(loaded, { numTasks: 1, validation: { kind: 'none' }, normalization: 'cifar10-5datasets' }).tasks[0];
  t = performance.now();
  const rows = Int32Array.from({ length: 64 }, (_, i) => i);
  const out = new Float32Array(64 * 3072);
  const reps = Math.floor(task.train.count / 64);
  for (let r = 0; r < reps; r++) {
    rows.forEach((_, i) => (rows[i] = r * 64 + i));
    renderRows(task.train, task.transform, rows, {}, out);
  }
  ms = performance.now() - t;
  console.log(`pixel pipeline only (typed arrays, no augmentation): ${rate(reps * 64, ms)}`);

  for (const augment of [false, true]) {
    before = memory();
    t = performance.now();
    let n = 0;
    let peak = 0;
    for (const b of batches(task.train, task.transform, { batchSize: 64, shuffleSeed: 3, ...(augment ? { augment: { seed: 4 } } : {}) })) {
      n += b.rows.length;
      b.x.dispose();
      b.y.dispose();
      if (n % 6400 === 0) peak = Math.max(peak, process.memoryUsage().rss - before.rss);
    }
    ms = performance.now() - t;
    console.log(`batches of 64 ${augment ? 'with crop+flip' : 'without augmentation'} → tf.tensor4d: ${rate(n, ms)} (${(ms / 1000).toFixed(2)} s per epoch), rss growth during epoch ≤ ${mb(peak)}, tensors left ${tf.memory().numTensors}`);
  }
  after = memory();
  const total = process.memoryUsage();
  console.log(`final: arrayBuffers ${mb(total.arrayBuffers)} for ${mb(2 * raw)} raw (generated + loaded copies) = ${(total.arrayBuffers / (2 * raw)).toFixed(2)}x; rss ${mb(total.rss)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
