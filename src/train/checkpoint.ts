/**
 * Checkpoints: everything needed to resume a continual-learning run bit-identically.
 *
 * On-disk format, version 1. A checkpoint is a directory holding:
 * - `manifest.json`: `{ format: "ticketlab-checkpoint", version: 1, savedAt (ISO time),
 *   taskIndex, epoch, accuracyMatrix (rows of %), rng (name → RngState), options, extra (any
 *   JSON), tensorFile, tensorBytes, tensors: [{ name, dtype, shape, offset, byteLength, crc32 }] }`.
 * - `tensors-<stamp>.bin`: every tensor's values back to back, little-endian, each starting at
 *   a multiple of 8 bytes (zero padding between). `float32` and `int32` take 4 bytes per
 *   entry, `bool` (masks) 1 byte (0 or 1). `crc32` is the zlib CRC-32 of the tensor's bytes.
 *
 * Atomic writes: the tensor file gets a fresh name and is fsynced; then the manifest is
 * written to a temporary file, fsynced and renamed over `manifest.json` (atomic on POSIX), and
 * the directory is fsynced. Until that rename the old manifest and its tensor file are
 * untouched, so a crash or failed write at any point leaves the previous checkpoint loadable.
 * Stale files (unreferenced tensor files, temporary manifests) are removed after each save.
 * One writer per directory at a time.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, expectInRange, InvalidArgumentError } from '../errors';
import type { RngState } from '../random';

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What a checkpoint holds. */
export interface CheckpointState {
  /** Index (0-based) of the task the checkpoint was taken in or after. */
  readonly taskIndex: number;
  /** Epochs completed within that task. */
  readonly epoch: number;
  /** Accuracy matrix so far: row i = accuracies (%) after training task i. */
  readonly accuracyMatrix: readonly (readonly number[])[];
  /** Generator states by name (e.g. `{ run: rng.getState() }`). */
  readonly rng?: Readonly<Record<string, RngState>>;
  /** The run's options, for checking a resume uses the same configuration. */
  readonly options?: JsonValue;
  /** Any other JSON state (schedule state, optimizer scalars, method bookkeeping). */
  readonly extra?: JsonValue;
  /** Weights, masks (bool), scores, optimizer slots, by unique name. Not disposed here. */
  readonly tensors: ReadonlyMap<string, tf.Tensor>;
}

/** A loaded checkpoint; the caller disposes `tensors`. */
export interface LoadedCheckpoint extends CheckpointState {
  readonly dir: string;
  readonly savedAt: string;
  readonly tensors: Map<string, tf.Tensor>;
}

/** One entry of the manifest's tensor index. */
export interface TensorIndexEntry {
  readonly name: string;
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly shape: readonly number[];
  readonly offset: number;
  readonly byteLength: number;
  readonly crc32: number;
}

/** The parsed `manifest.json`. */
export interface CheckpointManifest extends Omit<CheckpointState, 'tensors'> {
  readonly format: 'ticketlab-checkpoint';
  readonly version: 1;
  readonly savedAt: string;
  readonly tensorFile: string;
  readonly tensorBytes: number;
  readonly tensors: readonly TensorIndexEntry[];
}

const FORMAT = 'ticketlab-checkpoint';
const VERSION = 1;
const MANIFEST = 'manifest.json';
const ALIGN = 8;
const BYTES = { float32: 4, int32: 4, bool: 1 } as const;
let saveCounter = 0;

const pad = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function checkState(dir: string, state: CheckpointState): void {
  const fn = `saveCheckpoint(${JSON.stringify(dir)})`;
  expectInRange(fn, 'taskIndex', state.taskIndex, { min: 0, integer: true });
  expectInRange(fn, 'epoch', state.epoch, { min: 0, integer: true });
  if (!Array.isArray(state.accuracyMatrix) || !state.accuracyMatrix.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    throw new InvalidArgumentError(`${fn}: accuracyMatrix must be an array of number arrays; got ${JSON.stringify(state.accuracyMatrix)?.slice(0, 80)}.`);
  }
  for (const [name, t] of state.tensors) {
    if (name.length === 0) throw new InvalidArgumentError(`${fn}: tensor names must be non-empty.`);
    if (!Object.hasOwn(BYTES, t.dtype)) {
      throw new InvalidArgumentError(`${fn}: tensor "${name}" has dtype ${t.dtype}; checkpoints store float32, int32 and bool. Cast it first.`);
    }
    if (t.isDisposed) throw new InvalidArgumentError(`${fn}: tensor "${name}" is disposed.`);
  }
}

/**
 * Writes a checkpoint into `dir` (created if needed), atomically replacing any earlier one
 * there. Tensors are read back from the backend and left alone.
 * @throws InvalidArgumentError for bad state; CheckpointError when writing fails (the previous
 * checkpoint in `dir`, if any, is then still intact).
 * @example
 * ```ts
 * await saveCheckpoint('runs/wsn-pmnist/ckpt', { taskIndex: 1, epoch: 0, accuracyMatrix: A,
 *   rng: { run: rng.getState() }, tensors: new Map(net.params) });
 * ```
 */
export async function saveCheckpoint(dir: string, state: CheckpointState): Promise<void> {
  checkState(dir, state);
  if (os.endianness() !== 'LE') throw new CheckpointError(`saveCheckpoint: checkpoints are little-endian; this machine is big-endian.`);
  await fs.mkdir(dir, { recursive: true });
  const stamp = `${Date.now().toString(36)}-${process.pid}-${saveCounter++}`;
  const tensorFile = `tensors-${stamp}.bin`;
  const manifestTmp = `${MANIFEST}.${stamp}.tmp`;
  const index: TensorIndexEntry[] = [];
  try {
    const handle = await fs.open(path.join(dir, tensorFile), 'wx');
    try {
      let offset = 0;
      for (const [name, t] of state.tensors) {
        const raw = await t.data();
        // backends may hand back another array type (e.g. bool as float32); store the canonical one
        const values = t.dtype === 'bool' ? (raw instanceof Uint8Array ? raw : Uint8Array.from(raw as ArrayLike<number>)) : t.dtype === 'int32' ? (raw instanceof Int32Array ? raw : Int32Array.from(raw as ArrayLike<number>)) : raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
        const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
        const start = pad(offset);
        if (start > offset) await handle.write(Buffer.alloc(start - offset), 0, start - offset, offset);
        await handle.write(bytes, 0, bytes.length, start);
        index.push({ name, dtype: t.dtype as TensorIndexEntry['dtype'], shape: t.shape, offset: start, byteLength: bytes.length, crc32: crc32(bytes) });
        offset = start + bytes.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const last = index[index.length - 1];
    const manifest: CheckpointManifest = {
      format: FORMAT, version: VERSION, savedAt: new Date().toISOString(),
      taskIndex: state.taskIndex, epoch: state.epoch, accuracyMatrix: state.accuracyMatrix,
      rng: state.rng ?? {}, options: state.options ?? null, extra: state.extra ?? null,
      tensorFile, tensorBytes: last ? last.offset + last.byteLength : 0, tensors: index,
    };
    const mHandle = await fs.open(path.join(dir, manifestTmp), 'wx');
    try {
      await mHandle.writeFile(JSON.stringify(manifest, null, 1));
      await mHandle.sync();
    } finally {
      await mHandle.close();
    }
    await fs.rename(path.join(dir, manifestTmp), path.join(dir, MANIFEST));
    await fsyncDir(dir);
  } catch (error) {
    await Promise.all([tensorFile, manifestTmp].map((f) => fs.rm(path.join(dir, f), { force: true }).catch(() => undefined)));
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`saveCheckpoint: writing ${dir} failed (${(error as Error).message}); the previous checkpoint there, if any, is intact.`, { cause: error });
  }
  for (const entry of await fs.readdir(dir)) {
    const stale = (entry.startsWith('tensors-') && entry.endsWith('.bin') && entry !== tensorFile) || (entry.startsWith(`${MANIFEST}.`) && entry.endsWith('.tmp'));
    if (stale) await fs.rm(path.join(dir, entry), { force: true }).catch(() => undefined);
  }
}

function fail(file: string, what: string, hint = 'Delete this checkpoint and resume from an earlier one.'): never {
  throw new CheckpointError(`${file}: ${what}. ${hint}`);
}

/**
 * Reads and validates `dir/manifest.json` without loading tensors.
 * @throws CheckpointError naming the file and what is wrong (missing, not JSON, wrong format).
 */
export async function readCheckpointManifest(dir: string): Promise<CheckpointManifest> {
  const file = path.join(dir, MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return fail(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Is this a checkpoint directory? A save that never completed leaves none.');
  }
  let m: CheckpointManifest;
  try {
    m = JSON.parse(text);
  } catch (error) {
    return fail(file, `is not valid JSON, so it is truncated or corrupt (${(error as Error).message})`);
  }
  if (m?.format !== FORMAT) fail(file, `format is ${JSON.stringify(m?.format)}; expected "${FORMAT}"`, 'This is not a TicketLab checkpoint.');
  if (m.version !== VERSION) fail(file, `version is ${JSON.stringify(m.version)}; this TicketLab reads version ${VERSION}`, 'Load it with the TicketLab version that wrote it.');
  const intOk = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  if (!intOk(m.taskIndex) || !intOk(m.epoch) || !intOk(m.tensorBytes) || typeof m.tensorFile !== 'string' || !Array.isArray(m.tensors) || !Array.isArray(m.accuracyMatrix)) {
    fail(file, 'lacks taskIndex, epoch, accuracyMatrix, tensorFile, tensorBytes or tensors, or has wrong types there');
  }
  if (path.basename(m.tensorFile) !== m.tensorFile) fail(file, `tensorFile ${JSON.stringify(m.tensorFile)} is not a plain file name`);
  for (const e of m.tensors) {
    const size = Array.isArray(e?.shape) && e.shape.every(intOk) ? e.shape.reduce((a: number, b: number) => a * b, 1) : -1;
    if (typeof e?.name !== 'string' || !Object.hasOwn(BYTES, e.dtype) || size < 0 || !intOk(e.offset) || e.byteLength !== size * BYTES[e.dtype as keyof typeof BYTES] || !intOk(e.crc32) || e.offset + e.byteLength > m.tensorBytes) {
      fail(file, `tensor index entry ${JSON.stringify(e)?.slice(0, 120)} is malformed`);
    }
  }
  return m;
}

/**
 * Loads a checkpoint: manifest, then every tensor, checking size and CRC-32. Tensors are
 * created on the current backend; the caller disposes them.
 * @throws CheckpointError naming the file and what is wrong (missing, truncated, corrupt).
 * @example
 * ```ts
 * const ckpt = await loadCheckpoint('runs/wsn-pmnist/ckpt');
 * for (const [name, v] of net.params) v.assign(ckpt.tensors.get(name)!);
 * tf.dispose([...ckpt.tensors.values()]);
 * ```
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const m = await readCheckpointManifest(dir);
  const file = path.join(dir, m.tensorFile);
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (error) {
    return fail(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) though ${MANIFEST} refers to it`);
  }
  if (data.length !== m.tensorBytes) {
    fail(file, `${data.length < m.tensorBytes ? 'is truncated' : 'has trailing bytes'}: expected ${m.tensorBytes} bytes, found ${data.length}`);
  }
  for (const e of m.tensors) {
    if (crc32(data.subarray(e.offset, e.offset + e.byteLength)) !== e.crc32) {
      fail(file, `tensor "${e.name}" (bytes ${e.offset}–${e.offset + e.byteLength}) fails its CRC-32 check, so the file is corrupt`);
    }
  }
  const tensors = new Map<string, tf.Tensor>();
  for (const e of m.tensors) {
    const bytes = data.buffer.slice(data.byteOffset + e.offset, data.byteOffset + e.offset + e.byteLength);
    const values = e.dtype === 'float32' ? new Float32Array(bytes) : e.dtype === 'int32' ? new Int32Array(bytes) : new Uint8Array(bytes);
    tensors.set(e.name, tf.tensor(values, [...e.shape], e.dtype));
  }
  return {
    dir, savedAt: m.savedAt, taskIndex: m.taskIndex, epoch: m.epoch, accuracyMatrix: m.accuracyMatrix,
    rng: m.rng, options: m.options, extra: m.extra, tensors,
  };
}

/**
 * The most advanced valid checkpoint among the sub-directories of `root` (by task index, then
 * epoch, then save time), or null if there is none. Directories without a readable manifest
 * (e.g. a first save that never completed) are skipped.
 * @example
 * ```ts
 * const dir = await latestCheckpoint('runs/wsn-pmnist');
 * if (dir) resumeFrom(await loadCheckpoint(dir));
 * ```
 */
export async function latestCheckpoint(root: string): Promise<string | null> {
  let entries: string[];
  try {
    entries = await fs.readdir(root);
  } catch {
    return null;
  }
  let best: { dir: string; key: [number, number, string] } | null = null;
  for (const entry of entries.sort()) {
    const dir = path.join(root, entry);
    const m = await readCheckpointManifest(dir).catch(() => null);
    if (m === null) continue;
    const key: [number, number, string] = [m.taskIndex, m.epoch, m.savedAt];
    const later = best === null || key[0] > best.key[0] || (key[0] === best.key[0] && (key[1] > best.key[1] || (key[1] === best.key[1] && key[2] >= best.key[2])));
    if (later) best = { dir, key };
  }
  return best?.dir ?? null;
}

/** Conventional checkpoint directory name under a run root: `root/task-003-epoch-0000`. */
export function checkpointDir(root: string, taskIndex: number, epoch: number): string {
  return path.join(root, `task-${String(taskIndex).padStart(3, '0')}-epoch-${String(epoch).padStart(4, '0')}`);
}
