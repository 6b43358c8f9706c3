import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DataFormatError, DatasetNotFoundError } from '../../../src/errors';
import { readMat5 } from '../../../src/data/datasets/mat5';
import { loadSvhn } from '../../../src/data/datasets/svhn';
import { type MatVar, mat5Bytes, pattern, tempDir, writeFile } from './fixtures';

function svhnVars(n: number, seed: number, labels: number[], yType = 2): MatVar[] {
  return [
    { name: 'X', classId: 9, dims: [32, 32, 3, n], miType: 2, values: pattern(3072 * n, seed) },
    { name: 'y', classId: 6, dims: [labels.length, 1], miType: yType, values: labels },
  ];
}

function writeSvhn(dir: string, compressed: boolean): void {
  writeFile(dir, 'train_32x32.mat', mat5Bytes(svhnVars(3, 1, [10, 1, 7]), { compressed }));
  writeFile(dir, 'test_32x32.mat', mat5Bytes(svhnVars(2, 9, [5, 10], 9), { compressed }));
}

for (const compressed of [false, true]) {
  test(`loadSvhn reads ${compressed ? 'compressed' : 'plain'} MAT5 files into NHWC with 10 → 0`, async () => {
    const dir = tempDir();
    writeSvhn(dir, compressed);
    const { train, test: t } = await loadSvhn(dir);
    assert.deepEqual([train.count, train.height, train.width, train.channels, train.numClasses], [3, 32, 32, 3, 10]);
    assert.deepEqual(Array.from(train.labels), [0, 1, 7]);
    assert.deepEqual(Array.from(t.labels), [5, 0]);
    const colMajor = pattern(3072 * 3, 1);
    for (const [n, h, w, c] of [[0, 0, 0, 0], [0, 3, 17, 2], [2, 31, 0, 1], [1, 10, 20, 0]] as const) {
      assert.equal(train.images[n * 3072 + (h * 32 + w) * 3 + c], colMajor[h + 32 * w + 1024 * c + 3072 * n]);
    }
  });
}

test('readMat5 decodes big-endian files, converts storage types and skips non-numeric variables', async () => {
  const dir = tempDir();
  const vars: MatVar[] = [
    { name: 'title', classId: 4, dims: [1, 3], miType: 4, values: [72, 105, 33] },
    { name: 'weights', classId: 6, dims: [2, 2], miType: 5, values: [-1, 2, 300000, -4] },
    { name: 'small', classId: 9, dims: [1, 2], miType: 2, values: [7, 8] },
  ];
  for (const bigEndian of [false, true]) {
    const file = writeFile(dir, `v${bigEndian}.mat`, mat5Bytes(vars, { bigEndian, compressed: bigEndian }));
    const out = await readMat5(file);
    assert.deepEqual([...out.keys()], ['weights', 'small']);
    const w = out.get('weights')!;
    assert.equal(w.className, 'double');
    assert.ok(w.data instanceof Float64Array);
    assert.deepEqual(Array.from(w.data), [-1, 2, 300000, -4]);
    assert.deepEqual(Array.from(out.get('small')!.data), [7, 8]);
  }
});

test('a v7.3 (HDF5) file or a non-MAT file is a DataFormatError with advice', async () => {
  const dir = tempDir();
  const bytes = mat5Bytes(svhnVars(1, 0, [1]));
  bytes.write('MATLAB 7.3 MAT-file', 0, 'latin1');
  writeFile(dir, 'train_32x32.mat', bytes);
  writeFile(dir, 'test_32x32.mat', mat5Bytes(svhnVars(1, 0, [1])));
  await assert.rejects(loadSvhn(dir), (e: Error) => e instanceof DataFormatError && /v7\.3/.test(e.message) && /-v7/.test(e.message));
  writeFile(dir, 'train_32x32.mat', Buffer.from('<html>not found</html>'));
  await assert.rejects(loadSvhn(dir), (e: Error) => e instanceof DataFormatError && /train_32x32\.mat/.test(e.message));
});

for (const compressed of [false, true]) {
  test(`a truncated ${compressed ? 'compressed' : 'plain'} MAT file is a DataFormatError`, async () => {
    const dir = tempDir();
    writeSvhn(dir, compressed);
    const p = path.join(dir, 'train_32x32.mat');
    const b = fs.readFileSync(p);
    fs.writeFileSync(p, b.subarray(0, b.length - 2000));
    await assert.rejects(loadSvhn(dir), (e: Error) => e instanceof DataFormatError && /train_32x32\.mat/.test(e.message));
  });
}

test('mismatched label count, bad label and missing file are reported', async () => {
  const dir = tempDir();
  writeSvhn(dir, false);
  writeFile(dir, 'test_32x32.mat', mat5Bytes(svhnVars(2, 0, [1, 2, 3])));
  await assert.rejects(loadSvhn(dir), (e: Error) => e instanceof DataFormatError && /2 labels/.test(e.message) && /found 3/.test(e.message));
  writeFile(dir, 'test_32x32.mat', mat5Bytes(svhnVars(2, 0, [1, 11])));
  await assert.rejects(loadSvhn(dir), (e: Error) => e instanceof DataFormatError && /11 at index 1/.test(e.message));
  fs.unlinkSync(path.join(dir, 'test_32x32.mat'));
  await assert.rejects(loadSvhn(dir), (e: Error) => e instanceof DatasetNotFoundError && /test_32x32\.mat/.test(e.message));
});
