import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DataFormatError, DatasetNotFoundError } from '../../../src/errors';
import { decodeImageFile, resizeInto } from '../../../src/data/datasets/image-codec';
import { loadNotMnist } from '../../../src/data/datasets/notmnist';
import { loadOmniglot } from '../../../src/data/datasets/omniglot';
import { loadTinyImageNet } from '../../../src/data/datasets/tiny-imagenet';
import { loadUnlabeledPool, savePool } from '../../../src/data/datasets/unlabeled-pool';
import { pattern, tempDir, writeJpeg, writePng } from './fixtures';

process.env.TICKETLAB_QUIET = '1';

test('resizeInto averages areas when shrinking and keeps constants when enlarging', () => {
  const src = Uint8Array.from([0, 100, 200, 50]); // 2×2 grey
  const one = new Uint8Array(1);
  resizeInto(src, 2, 2, 1, one, 1, 1);
  assert.equal(one[0], 88); // (0+100+200+50)/4 = 87.5
  const flat = new Uint8Array(9 * 3);
  resizeInto(new Uint8Array(12).fill(77), 2, 2, 3, flat, 3, 3);
  assert.ok(flat.every((v) => v === 77));
  const exact = new Uint8Array(4);
  resizeInto(Uint8Array.from([10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40]), 4, 4, 1, exact, 2, 2);
  assert.deepEqual(Array.from(exact), [10, 20, 30, 40]);
});

test('loadNotMnist reads letter folders, splits with a seed and skips unreadable PNGs', async () => {
  const dir = tempDir();
  for (let l = 0; l < 10; l++) {
    for (let k = 0; k < 3; k++) writePng(path.join(dir, 'ABCDEFGHIJ'[l]!, `f${k}.png`), 28, 28, 1, pattern(784, 10 * l + k));
  }
  fs.writeFileSync(path.join(dir, 'C', 'broken.png'), Buffer.alloc(0));
  fs.writeFileSync(path.join(dir, 'D', 'bad.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6]));
  const a = await loadNotMnist(dir, { testFraction: 0.2, seed: 3 });
  const b = await loadNotMnist(dir, { testFraction: 0.2, seed: 3 });
  assert.equal(a.skipped.length, 2);
  assert.equal(a.train.count + a.test.count, 30);
  assert.deepEqual(a.test.labels, b.test.labels);
  assert.deepEqual(a.train.images, b.train.images);
  assert.equal(a.train.images.length, a.train.count * 784);
  // Every decoded image is one of the written patterns, with the label of its folder.
  for (const set of [a.train, a.test]) {
    for (let i = 0; i < set.count; i++) {
      const label = set.labels[i]!;
      const img = set.images.subarray(i * 784, (i + 1) * 784);
      assert.ok([0, 1, 2].some((k) => Buffer.from(img).equals(Buffer.from(pattern(784, 10 * label + k)))));
    }
  }
  assert.equal(a.train.classNames?.[9], 'J');
});

test('loadNotMnist uses train/ and test/ folders when present and reports missing letters', async () => {
  const dir = tempDir();
  for (const split of ['train', 'test']) {
    for (const l of 'ABCDEFGHIJ') writePng(path.join(dir, split, l, 'x.png'), 28, 28, 1, pattern(784, l.charCodeAt(0)));
  }
  const { train, test: t } = await loadNotMnist(dir);
  assert.equal(train.count, 10);
  assert.deepEqual(Array.from(t.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(t.images.subarray(784, 1568), pattern(784, 66));
  fs.rmSync(path.join(dir, 'test', 'E'), { recursive: true });
  await assert.rejects(loadNotMnist(dir), (e: Error) => e instanceof DatasetNotFoundError && /E/.test(e.message));
});

test('loadOmniglot keeps alphabet/character names, global labels and resizes 105 → size', async () => {
  const dir = tempDir();
  const white = new Uint8Array(105 * 105).fill(255);
  const black = new Uint8Array(105 * 105);
  writePng(path.join(dir, 'images_background', 'Greek', 'character01', '0394_01.png'), 105, 105, 1, white);
  writePng(path.join(dir, 'images_background', 'Greek', 'character01', '0394_02.png'), 105, 105, 1, black);
  writePng(path.join(dir, 'images_background', 'Angelic', 'character02', '0001_01.png'), 105, 105, 1, black);
  writePng(path.join(dir, 'images_evaluation', 'Atlantean', 'character01', '0900_01.png'), 105, 105, 3, new Uint8Array(105 * 105 * 3).fill(255));
  const { train, test: t } = await loadOmniglot(dir, { size: 28 });
  assert.deepEqual(train.classNames, ['Angelic/character02', 'Greek/character01', 'Atlantean/character01']);
  assert.deepEqual(Array.from(train.labels), [0, 1, 1]);
  assert.deepEqual(Array.from(t.labels), [2]);
  assert.deepEqual([train.height, train.width, train.channels, train.numClasses], [28, 28, 1, 3]);
  assert.ok(train.images.subarray(784, 1568).every((v) => v === 255));
  assert.ok(train.images.subarray(1568).every((v) => v === 0));
  assert.ok(t.images.every((v) => v === 255));
  const big = await loadOmniglot(dir);
  assert.equal(big.train.height, 32);
  fs.rmSync(path.join(dir, 'images_evaluation'), { recursive: true });
  await assert.rejects(loadOmniglot(dir), (e: Error) => e instanceof DatasetNotFoundError && /images_evaluation/.test(e.message));
});

function writeTiny(root: string): void {
  const base = path.join(root, 'tiny-imagenet-200');
  fs.mkdirSync(base, { recursive: true });
  fs.writeFileSync(path.join(base, 'wnids.txt'), 'n02124075\nn04067472\n');
  const flat = (r: number, g: number, b: number): Uint8Array => {
    const out = new Uint8Array(64 * 64 * 3);
    for (let p = 0; p < 4096; p++) out.set([r, g, b], 3 * p);
    return out;
  };
  writeJpeg(path.join(base, 'train', 'n02124075', 'images', 'n02124075_0.JPEG'), 64, 64, flat(200, 30, 30));
  writeJpeg(path.join(base, 'train', 'n04067472', 'images', 'n04067472_0.JPEG'), 64, 64, flat(20, 20, 220));
  writeJpeg(path.join(base, 'train', 'n04067472', 'images', 'n04067472_1.JPEG'), 64, 64, flat(90, 90, 90));
  writeJpeg(path.join(base, 'val', 'images', 'val_0.JPEG'), 64, 64, flat(10, 250, 10));
  writePng(path.join(base, 'val', 'images', 'val_1.JPEG'), 64, 64, 1, new Uint8Array(4096).fill(128));
  fs.writeFileSync(path.join(base, 'val', 'val_annotations.txt'), 'val_0.JPEG\tn04067472\t0\t0\t63\t63\nval_1.JPEG\tn02124075\t1\t2\t3\t4\n');
}

test('loadTinyImageNet reads train and val JPEGs, wnid order and expands grey to RGB', async () => {
  const root = tempDir();
  writeTiny(root);
  const { train, test: t } = await loadTinyImageNet(root);
  assert.deepEqual(train.classNames, ['n02124075', 'n04067472']);
  assert.deepEqual(Array.from(train.labels), [0, 1, 1]);
  assert.deepEqual(Array.from(t.labels), [1, 0]);
  assert.deepEqual([train.height, train.width, train.channels], [64, 64, 3]);
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 3;
  const px = (set: typeof train, i: number): number[] => Array.from(set.images.subarray(i * 12288 + 3 * 100, i * 12288 + 3 * 101));
  assert.ok(px(train, 0).every((v, k) => near(v, [200, 30, 30][k]!)), `${px(train, 0)}`);
  assert.ok(px(t, 0).every((v, k) => near(v, [10, 250, 10][k]!)), `${px(t, 0)}`);
  assert.deepEqual(px(t, 1), [128, 128, 128]);
  const direct = decodeImageFile(path.join(root, 'tiny-imagenet-200', 'train', 'n04067472', 'images', 'n04067472_1.JPEG'), 1);
  assert.ok(near(direct.data[0]!, 90));
});

test('loadTinyImageNet rejects an unknown wnid, a missing val image and a wrong size', async () => {
  const root = tempDir();
  writeTiny(root);
  const ann = path.join(root, 'tiny-imagenet-200', 'val', 'val_annotations.txt');
  fs.writeFileSync(ann, 'val_0.JPEG\tn99999999\t0\t0\t1\t1\n');
  await assert.rejects(loadTinyImageNet(root), (e: Error) => e instanceof DataFormatError && /val_annotations\.txt/.test(e.message) && /n99999999/.test(e.message));
  fs.writeFileSync(ann, 'val_9.JPEG\tn04067472\t0\t0\t1\t1\n');
  await assert.rejects(loadTinyImageNet(root), (e: Error) => e instanceof DatasetNotFoundError && /val_9\.JPEG/.test(e.message));
  fs.writeFileSync(ann, 'val_0.JPEG\tn04067472\t0\t0\t1\t1\n');
  writeJpeg(path.join(root, 'tiny-imagenet-200', 'train', 'n02124075', 'images', 'n02124075_0.JPEG'), 32, 32, new Uint8Array(3072));
  await assert.rejects(loadTinyImageNet(root), (e: Error) => e instanceof DataFormatError && /64×64/.test(e.message) && /32×32/.test(e.message));
  await assert.rejects(loadTinyImageNet(tempDir()), DatasetNotFoundError);
});

test('unlabeled pools round-trip through the raw sidecar format and load from folders', async () => {
  const dir = tempDir();
  const images = pattern(4 * 8 * 8 * 3, 5);
  const sidecar = savePool(path.join(dir, 'pool'), { name: 'pool', images, count: 4, height: 8, width: 8, channels: 3 });
  for (const where of [sidecar, path.join(dir, 'pool.u8')]) {
    const pool = await loadUnlabeledPool(where);
    assert.deepEqual([pool.count, pool.height, pool.width, pool.channels], [4, 8, 8, 3]);
    assert.deepEqual(pool.images, images);
  }
  fs.appendFileSync(path.join(dir, 'pool.u8'), Buffer.from([1]));
  await assert.rejects(loadUnlabeledPool(sidecar), (e: Error) => e instanceof DataFormatError && /768 bytes/.test(e.message) && /769 bytes/.test(e.message));

  const folder = path.join(dir, 'imgs');
  writePng(path.join(folder, 'a.png'), 8, 8, 3, pattern(192, 1));
  writePng(path.join(folder, 'b.png'), 8, 8, 3, pattern(192, 2));
  const pool = await loadUnlabeledPool(folder);
  assert.deepEqual(pool.images, Uint8Array.from([...pattern(192, 1), ...pattern(192, 2)]));
  const small = await loadUnlabeledPool(folder, { size: 4, channels: 1 });
  assert.deepEqual([small.count, small.height, small.channels, small.images.length], [2, 4, 1, 32]);
  writePng(path.join(folder, 'c.png'), 9, 9, 3, pattern(243, 2));
  await assert.rejects(loadUnlabeledPool(folder), DataFormatError);
  await assert.rejects(loadUnlabeledPool(path.join(dir, 'nothing.json')), DatasetNotFoundError);
});
