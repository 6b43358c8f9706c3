import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { DataFormatError, DatasetNotFoundError } from '../../../src/errors';
import { loadFashionMnist } from '../../../src/data/datasets/fashion-mnist';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../../src/data/datasets/idx';
import { loadMnist } from '../../../src/data/datasets/mnist';
import { idxBytes, pattern, tempDir, writeFile } from './fixtures';

function writeMnist(dir: string, gz: boolean, counts = { train: 5, test: 3 }): void {
  const ext = gz ? '.gz' : '';
  for (const [prefix, n] of [['train', counts.train], ['t10k', counts.test]] as const) {
    writeFile(dir, `${prefix}-images-idx3-ubyte${ext}`, idxBytes(IDX_IMAGES_MAGIC, [n, 4, 3], pattern(n * 12, n)));
    writeFile(dir, `${prefix}-labels-idx1-ubyte${ext}`, idxBytes(IDX_LABELS_MAGIC, [n], pattern(n, 1).map((v) => v % 10)));
  }
}

for (const gz of [false, true]) {
  test(`loadMnist reads back ${gz ? 'gzipped' : 'plain'} IDX files exactly`, async () => {
    const dir = tempDir();
    writeMnist(dir, gz);
    const { train, test: t } = await loadMnist(dir);
    assert.equal(train.count, 5);
    assert.deepEqual([train.height, train.width, train.channels, train.numClasses], [4, 3, 1, 10]);
    assert.deepEqual(train.images, pattern(60, 5));
    assert.deepEqual(Array.from(train.labels), Array.from(pattern(5, 1)).map((v) => v % 10));
    assert.equal(t.count, 3);
    assert.deepEqual(t.images, pattern(36, 3));
    assert.equal(train.name, 'mnist');
  });
}

test('loadFashionMnist reads the same layout and names its classes', async () => {
  const dir = tempDir();
  writeMnist(dir, true);
  const { train } = await loadFashionMnist(dir);
  assert.equal(train.name, 'fashion-mnist');
  assert.equal(train.classNames?.[9], 'Ankle boot');
});

test('a missing split file is a DatasetNotFoundError naming it', async () => {
  const dir = tempDir();
  writeMnist(dir, false);
  fs.unlinkSync(path.join(dir, 't10k-labels-idx1-ubyte'));
  await assert.rejects(loadMnist(dir), (e: Error) => e instanceof DatasetNotFoundError && /t10k-labels-idx1-ubyte/.test(e.message));
});

test('a wrong magic number names the file, the expected and the found number', async () => {
  const dir = tempDir();
  writeMnist(dir, false);
  writeFile(dir, 'train-images-idx3-ubyte', idxBytes(IDX_LABELS_MAGIC, [5], pattern(5)));
  await assert.rejects(loadMnist(dir), (e: Error) =>
    e instanceof DataFormatError && /train-images-idx3-ubyte/.test(e.message) && /2051/.test(e.message) && /2049/.test(e.message));
});

test('a truncated plain or gzipped file is a DataFormatError', async () => {
  const dir = tempDir();
  writeMnist(dir, false);
  const p = path.join(dir, 'train-images-idx3-ubyte');
  fs.writeFileSync(p, fs.readFileSync(p).subarray(0, 40));
  await assert.rejects(loadMnist(dir), (e: Error) => e instanceof DataFormatError && /76 bytes/.test(e.message) && /40 bytes/.test(e.message));

  const dz = tempDir();
  writeMnist(dz, true);
  const pz = path.join(dz, 'train-images-idx3-ubyte.gz');
  const gz = fs.readFileSync(pz);
  fs.writeFileSync(pz, gz.subarray(0, gz.length - 12));
  await assert.rejects(loadMnist(dz), (e: Error) => e instanceof DataFormatError && /train-images-idx3-ubyte\.gz/.test(e.message));
});

test('trailing bytes and corrupt gzip are DataFormatErrors', async () => {
  const dir = tempDir();
  writeMnist(dir, false);
  const p = path.join(dir, 't10k-images-idx3-ubyte');
  fs.appendFileSync(p, Buffer.from([1, 2, 3]));
  await assert.rejects(loadMnist(dir), DataFormatError);

  const dz = tempDir();
  writeMnist(dz, true);
  fs.writeFileSync(path.join(dz, 'train-labels-idx1-ubyte.gz'), Buffer.concat([zlib.gzipSync(Buffer.alloc(3)).subarray(0, 10), Buffer.from('garbage')]));
  await assert.rejects(loadMnist(dz), DataFormatError);
});

test('a label count that differs from the image count is a DataFormatError', async () => {
  const dir = tempDir();
  writeMnist(dir, false);
  writeFile(dir, 'train-labels-idx1-ubyte', idxBytes(IDX_LABELS_MAGIC, [4], new Uint8Array(4)));
  await assert.rejects(loadMnist(dir), (e: Error) => e instanceof DataFormatError && /5 labels/.test(e.message) && /found 4/.test(e.message));
});
