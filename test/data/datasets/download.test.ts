import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { DataFormatError, DatasetNotFoundError, UnknownNameError } from '../../../src/errors';
import { datasetSources } from '../../../src/data/datasets/dataset-sources';
import { download } from '../../../src/data/datasets/download';
import { loadDataset, realDatasets } from '../../../src/data/datasets/registry';
import { extractZip } from '../../../src/data/datasets/unzip';
import { tempDir } from './fixtures';

process.env.TICKETLAB_QUIET = '1';

/** A fetch that serves `files` by URL and records the URLs asked for. */
function fakeFetch(files: Map<string, Uint8Array>, asked: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const body = files.get(url);
    if (!body) return new Response('missing', { status: 404, statusText: 'Not Found' });
    return new Response(body, { status: 200 });
  }) as typeof fetch;
}

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

test('download fails fast offline, naming every file, its URL and where to put it', async () => {
  const dir = tempDir();
  const offline = (async () => {
    throw new TypeError('fetch failed (getaddrinfo ENOTFOUND)');
  }) as typeof fetch;
  const started = Date.now();
  await assert.rejects(download('mnist', dir, { fetch: offline }), (e: Error) => {
    assert.ok(e instanceof DatasetNotFoundError);
    for (const f of datasetSources.mnist) {
      assert.ok(e.message.includes(f.url), f.url);
      assert.ok(e.message.includes(path.join(path.resolve(dir), f.name)));
    }
    assert.match(e.message, /ENOTFOUND/);
    return true;
  });
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('download gives up on a silent server after connectTimeoutMs', async () => {
  const hang = ((_: unknown, init?: RequestInit) => new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
  })) as typeof fetch;
  await assert.rejects(download('svhn', tempDir(), { fetch: hang, connectTimeoutMs: 50 }),
    (e: Error) => e instanceof DatasetNotFoundError && /50 ms/.test(e.message) && /train_32x32\.mat/.test(e.message));
});

test('a checksum mismatch is a DataFormatError and leaves no file behind', async () => {
  const dir = tempDir();
  const served = new Map([[datasetSources.cifar100[0]!.url, new Uint8Array([1, 2, 3])]]);
  await assert.rejects(download('cifar100', dir, { fetch: fakeFetch(served, []) }), (e: Error) =>
    e instanceof DataFormatError && /cifar-100-binary\.tar\.gz/.test(e.message) && /03b5dce01913d631647c71ecec9e9cb8/.test(e.message) && new RegExp(md5(new Uint8Array([1, 2, 3]))).test(e.message));
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('download writes verified files, then serves them from the cache', async () => {
  const dir = tempDir();
  // Real checksums cannot match fake bytes, so pass sources whose digest fits the bytes served.
  const bytes = zlib.gzipSync(Buffer.from('fake idx'));
  const sources = datasetSources.mnist.map((f) => ({ ...f, md5: md5(bytes) }));
  {
    const asked: string[] = [];
    const served = new Map(sources.map((f) => [f.url, bytes]));
    const status: string[] = [];
    const paths = await download('mnist', dir, { sources, fetch: fakeFetch(served, asked), onFile: (_, s) => status.push(s) });
    assert.equal(paths.length, 4);
    assert.deepEqual(status, ['downloaded', 'downloaded', 'downloaded', 'downloaded']);
    assert.ok(paths.every((p) => fs.readFileSync(p).equals(bytes)));
    assert.deepEqual(fs.readdirSync(dir).sort(), sources.map((f) => f.name).sort());
    fs.writeFileSync(paths[2]!, 'corrupted');
    const again: string[] = [];
    await download('mnist', dir, { sources, fetch: fakeFetch(served, asked), onFile: (_, s) => again.push(s) });
    assert.deepEqual(again, ['cached', 'cached', 'downloaded', 'cached']);
    assert.equal(asked.length, 5);
    assert.ok(fs.readFileSync(paths[2]!).equals(bytes));
  }
});

test('an HTTP error is reported with the manual-download instructions', async () => {
  await assert.rejects(download('omniglot', tempDir(), { fetch: fakeFetch(new Map(), []) }),
    (e: Error) => e instanceof DatasetNotFoundError && /HTTP 404/.test(e.message) && /images_evaluation\.zip/.test(e.message) && /unpack/.test(e.message));
});

test('download and loadDataset reject unknown names with the known list', async () => {
  await assert.rejects(download('imagenet', tempDir()), (e: Error) => e instanceof UnknownNameError && /cifar100/.test(e.message));
  await assert.rejects(loadDataset('cifar1000', tempDir()), (e: Error) => e instanceof UnknownNameError && /cifar100/.test(e.message));
  assert.deepEqual(Object.keys(realDatasets).sort(), Object.keys(datasetSources).sort());
  assert.deepEqual(realDatasets.cifar100.inputShape, [32, 32, 3]);
});

/** A stored + deflated two-entry ZIP, written by hand (local headers, central directory, EOCD). */
function zipBytes(entries: [string, Buffer, boolean][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data, deflate] of entries) {
    const body = deflate ? zlib.deflateRawSync(data) : data;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, body);
    centrals.push(central, n);
    offset += 30 + n.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

test('extractZip unpacks stored and deflated entries and refuses paths outside the target', () => {
  const dir = tempDir();
  const file = path.join(dir, 'a.zip');
  fs.writeFileSync(file, zipBytes([['images_background/', Buffer.alloc(0), false], ['images_background/x/a.txt', Buffer.from('hello'), false], ['images_background/x/b.txt', Buffer.from('world'.repeat(50)), true]]));
  const out = path.join(dir, 'out');
  assert.equal(extractZip(file, out), 2);
  assert.equal(fs.readFileSync(path.join(out, 'images_background', 'x', 'b.txt'), 'utf8'), 'world'.repeat(50));
  fs.writeFileSync(file, zipBytes([['../evil.txt', Buffer.from('x'), false]]));
  assert.throws(() => extractZip(file, out), DataFormatError);
  fs.writeFileSync(file, Buffer.from('not a zip at all, just text that is long enough'));
  assert.throws(() => extractZip(file, out), (e: Error) => e instanceof DataFormatError && /end-of-central-directory/.test(e.message));
});

test('download unpacks a verified zip into place and skips it next time', async () => {
  const dir = tempDir();
  const zip = zipBytes([['images_background/Greek/c1/a.txt', Buffer.from('a'), true]]);
  const zip2 = zipBytes([['images_evaluation/Atlantean/c1/b.txt', Buffer.from('b'), false]]);
  const original = datasetSources.omniglot;
  const [bg, ev] = original as [typeof original[0], typeof original[0]];
  const sources = [{ ...bg, md5: md5(zip) }, { ...ev, md5: md5(zip2) }];
  {
    const served = new Map([[bg.url, zip], [ev.url, zip2]]);
    await download('omniglot', dir, { sources, fetch: fakeFetch(served, []) });
    assert.equal(fs.readFileSync(path.join(dir, 'images_background', 'Greek', 'c1', 'a.txt'), 'utf8'), 'a');
    assert.equal(fs.readFileSync(path.join(dir, 'images_evaluation', 'Atlantean', 'c1', 'b.txt'), 'utf8'), 'b');
    assert.ok(!fs.readdirSync(dir).some((f) => f.startsWith('.unpack')));
    fs.rmSync(path.join(dir, 'images_background', 'Greek'), { recursive: true });
    const status: string[] = [];
    await download('omniglot', dir, { sources, fetch: fakeFetch(new Map(), []), onFile: (_, s) => status.push(s) });
    assert.deepEqual(status, ['cached', 'cached']);
    assert.ok(!fs.existsSync(path.join(dir, 'images_background', 'Greek')), 'an existing folder is not unpacked again');
  }
});
