import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as tar from 'tar';
import { DataFormatError, DatasetNotFoundError } from '../../../src/errors';
import { loadCifar10 } from '../../../src/data/datasets/cifar10';
import { loadCifar100 } from '../../../src/data/datasets/cifar100';
import type { ImageSet } from '../../../src/data/types';
import { pattern, tempDir, writeFile } from './fixtures';

const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Records of `labels.length` label bytes + 3072 CHW pixels; pixels follow pattern(·, seed). */
function records(labels: number[][], seed: number): Uint8Array {
  const r = labels[0]!.length + 3072;
  const out = new Uint8Array(labels.length * r);
  labels.forEach((ls, i) => {
    out.set(ls, i * r);
    out.set(pattern(3072, seed + i), i * r + ls.length);
  });
  return out;
}

/** Checks image i of `set` is the HWC transpose of pattern(3072, seed). */
function assertHwc(set: ImageSet, i: number, seed: number): void {
  const chw = pattern(3072, seed);
  for (const [h, w, c] of [[0, 0, 0], [0, 0, 2], [5, 7, 1], [31, 31, 2], [12, 30, 0]] as const) {
    assert.equal(set.images[i * 3072 + (h * 32 + w) * 3 + c], chw[c * 1024 + h * 32 + w], `pixel ${i},${h},${w},${c}`);
  }
}

function writeCifar10(root: string, batch = 2): string {
  const dir = path.join(root, 'cifar-10-batches-bin');
  for (let b = 1; b <= 5; b++) {
    writeFile(dir, `data_batch_${b}.bin`, records(Array.from({ length: batch }, (_, i) => [(b + i) % 10]), 10 * b));
  }
  writeFile(dir, 'test_batch.bin', records([[9], [0], [4]], 100));
  writeFile(dir, 'batches.meta.txt', Buffer.from(`${CIFAR10_NAMES.join('\n')}\n\n`));
  return dir;
}

function writeCifar100(root: string): string {
  const dir = path.join(root, 'cifar-100-binary');
  writeFile(dir, 'train.bin', records([[3, 41], [19, 99], [0, 0]], 1));
  writeFile(dir, 'test.bin', records([[7, 55]], 50));
  writeFile(dir, 'coarse_label_names.txt', Buffer.from(Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n')));
  writeFile(dir, 'fine_label_names.txt', Buffer.from(Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n')));
  return dir;
}

async function pack(root: string, folder: string, archive: string): Promise<string> {
  const file = path.join(root, archive);
  await tar.c({ gzip: true, file, cwd: root }, [folder]);
  fs.rmSync(path.join(root, folder), { recursive: true });
  return file;
}

function checkCifar10(train: ImageSet, t: ImageSet): void {
  assert.equal(train.count, 10);
  assert.deepEqual([train.height, train.width, train.channels, train.numClasses], [32, 32, 3, 10]);
  assert.equal(train.images.length, 10 * 3072);
  assert.deepEqual(Array.from(train.labels), [1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
  assertHwc(train, 0, 10);
  assertHwc(train, 3, 21);
  assertHwc(train, 9, 51);
  assert.deepEqual(Array.from(t.labels), [9, 0, 4]);
  assertHwc(t, 2, 102);
  assert.deepEqual(train.classNames, CIFAR10_NAMES);
  assert.equal(train.coarseLabels, undefined);
}

test('loadCifar10 reads the extracted folder (or its parent) with HWC pixels and class names', async () => {
  const root = tempDir();
  const dir = writeCifar10(root);
  for (const where of [root, dir]) {
    const { train, test: t } = await loadCifar10(where);
    checkCifar10(train, t);
  }
});

test('loadCifar10 reads the official tar.gz without extracting it', async () => {
  const root = tempDir();
  writeCifar10(root);
  const archive = await pack(root, 'cifar-10-batches-bin', 'cifar-10-binary.tar.gz');
  for (const where of [root, archive]) {
    const { train, test: t } = await loadCifar10(where);
    checkCifar10(train, t);
  }
});

test('loadCifar10 streams large archive members correctly', async () => {
  const root = tempDir();
  writeCifar10(root, 700);
  await pack(root, 'cifar-10-batches-bin', 'cifar-10-binary.tar.gz');
  const { train } = await loadCifar10(root);
  assert.equal(train.count, 3500);
  assertHwc(train, 0, 10);
  assertHwc(train, 1499, 30 + 99);
  assertHwc(train, 3499, 50 + 699);
});

for (const packed of [false, true]) {
  test(`loadCifar100 reads fine labels, coarse labels and names (${packed ? 'tar.gz' : 'folder'})`, async () => {
    const root = tempDir();
    writeCifar100(root);
    if (packed) await pack(root, 'cifar-100-binary', 'cifar-100-binary.tar.gz');
    const { train, test: t } = await loadCifar100(root);
    assert.equal(train.numClasses, 100);
    assert.deepEqual(Array.from(train.labels), [41, 99, 0]);
    assert.deepEqual(Array.from(train.coarseLabels!), [3, 19, 0]);
    assert.equal(train.classNames?.[41], 'fine41');
    assertHwc(train, 1, 2);
    assert.deepEqual(Array.from(t.labels), [55]);
    assertHwc(t, 0, 50);
  });
}

test('a missing batch is a DatasetNotFoundError naming it, in a folder and in an archive', async () => {
  const root = tempDir();
  const dir = writeCifar10(root);
  fs.unlinkSync(path.join(dir, 'data_batch_4.bin'));
  await assert.rejects(loadCifar10(root), (e: Error) => e instanceof DatasetNotFoundError && /data_batch_4\.bin/.test(e.message));
  await pack(root, 'cifar-10-batches-bin', 'cifar-10-binary.tar.gz');
  await assert.rejects(loadCifar10(root), (e: Error) => e instanceof DatasetNotFoundError && /data_batch_4\.bin/.test(e.message));
  await assert.rejects(loadCifar10(tempDir()), (e: Error) => e instanceof DatasetNotFoundError && /cifar-10-binary\.tar\.gz/.test(e.message));
});

test('a partial record is a DataFormatError naming the file and the record size', async () => {
  const root = tempDir();
  const dir = writeCifar100(root);
  fs.appendFileSync(path.join(dir, 'test.bin'), Buffer.alloc(100));
  await assert.rejects(loadCifar100(root), (e: Error) =>
    e instanceof DataFormatError && /test\.bin/.test(e.message) && /3074-byte records/.test(e.message) && /3174 bytes/.test(e.message));
});

test('an out-of-range label and a wrong names file are DataFormatErrors', async () => {
  const root = tempDir();
  const dir = writeCifar10(root);
  writeFile(dir, 'test_batch.bin', records([[10]], 0));
  await assert.rejects(loadCifar10(root), (e: Error) => e instanceof DataFormatError && /test_batch\.bin/.test(e.message) && /found 10/.test(e.message));
  const root2 = tempDir();
  const dir2 = writeCifar10(root2);
  writeFile(dir2, 'batches.meta.txt', Buffer.from('cat\ndog\n'));
  await assert.rejects(loadCifar10(root2), (e: Error) => e instanceof DataFormatError && /10 class names/.test(e.message));
});

test('a truncated archive is a DataFormatError', async () => {
  const root = tempDir();
  writeCifar100(root);
  const archive = await pack(root, 'cifar-100-binary', 'cifar-100-binary.tar.gz');
  const bytes = fs.readFileSync(archive);
  fs.writeFileSync(archive, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await assert.rejects(loadCifar100(root), DataFormatError);
});
