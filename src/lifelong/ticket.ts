/**
 * Lottery tickets as shareable files: a binary mask, a weight set (e.g. θ(0) or the trained
 * values) and metadata (task, density, schedule, seed, strategy), stored with the checkpoint
 * format of src/train (manifest.json + one CRC-checked tensor file). A found ticket can be
 * loaded and re-trained ("TR" tickets, methods.md §2.7).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Scenario } from '../data/types';
import { CheckpointError, ShapeMismatchError } from '../errors';
import type { Network } from '../models/types';
import { globalDensity, type Mask } from '../pruning/mask';
import { loadCheckpoint, saveCheckpoint, type JsonValue } from '../train/checkpoint';
import { restoreSnapshot, type Snapshot } from '../train/snapshot';
import { trainCilTask, type CilTaskContext, type CilTrainOptions } from './cil-train';
import { _seen } from './top-down';
import type { SeenAccuracy } from './seen-classes';

/** Ticket metadata, plain JSON. */
export interface TicketMeta {
  /** Architecture registry key and network options needed to rebuild it. */
  readonly architecture: string;
  /** Tasks learned when the ticket was found (1-based). */
  readonly task: number;
  /** Density over the masked weights (0–1), as counted from the mask. */
  readonly density: number;
  /** `top-down`, `bottom-up`, `imp`, ... */
  readonly strategy: string;
  /** The pruning schedule, e.g. TD's per-task fractions. */
  readonly schedule?: JsonValue;
  readonly seed: number;
  /** Anything else worth keeping. */
  readonly extra?: JsonValue;
}

/** A mask, the weights to start from (every parameter and norm statistic) and metadata. */
export interface Ticket {
  readonly mask: Mask;
  /** Caller disposes (see {@link disposeTicket}). */
  readonly weights: Snapshot;
  readonly meta: TicketMeta;
}

/**
 * Captures a ticket from a network: copies of its parameters and norm statistics, the mask and
 * metadata (density counted from the mask). Dispose with {@link disposeTicket}.
 * @example
 * ```ts
 * const ticket = captureTicket(net, mask, { architecture: 'preact-resnet18', task: 5, strategy: 'top-down', seed: 0 });
 * ```
 */
export function captureTicket(network: Network, mask: Mask, meta: Omit<TicketMeta, 'density'>): Ticket {
  const weights = new Map<string, tf.Tensor>();
  for (const [name, v] of [...network.params, ...network.state]) weights.set(name, tf.keep(tf.clone(v)));
  return { mask: Object.fromEntries(Object.entries(mask).map(([k, b]) => [k, b.slice()])), weights, meta: { ...meta, density: globalDensity(mask).density } };
}

/** Frees a ticket's weight tensors. */
export function disposeTicket(ticket: Ticket): void {
  tf.dispose([...ticket.weights.values()]);
}

/**
 * Writes a ticket to directory `dir` (atomic, see saveCheckpoint): weights as `weight/<name>`
 * float32, masks as `mask/<name>` bool, metadata in the manifest's `extra`.
 * @throws CheckpointError when the directory cannot be written
 * @example
 * ```ts
 * await saveTicket('tickets/td-seed0', ticket);
 * ```
 */
export async function saveTicket(dir: string, ticket: Ticket): Promise<void> {
  const tensors = new Map<string, tf.Tensor>();
  const masks: tf.Tensor[] = [];
  for (const [name, w] of ticket.weights) tensors.set(`weight/${name}`, w);
  for (const [name, bits] of Object.entries(ticket.mask)) {
    const t = tf.tensor1d(bits, 'bool');
    masks.push(t);
    tensors.set(`mask/${name}`, t);
  }
  try {
    await saveCheckpoint(dir, { taskIndex: Math.max(0, ticket.meta.task - 1), epoch: 0, accuracyMatrix: [], extra: { ticket: ticket.meta as unknown as JsonValue }, tensors });
  } finally {
    tf.dispose(masks);
  }
}

/**
 * Reads a ticket written by {@link saveTicket}. Dispose with {@link disposeTicket}.
 * @throws CheckpointError for a missing, corrupt or non-ticket directory
 */
export async function loadTicket(dir: string): Promise<Ticket> {
  const loaded = await loadCheckpoint(dir);
  const meta = (loaded.extra as { ticket?: TicketMeta } | undefined)?.ticket;
  if (!meta) {
    tf.dispose([...loaded.tensors.values()]);
    throw new CheckpointError(`loadTicket: ${dir} is a checkpoint but not a ticket (no ticket metadata). Save tickets with saveTicket.`);
  }
  const mask: Record<string, Uint8Array> = {};
  const weights = new Map<string, tf.Tensor>();
  for (const [key, t] of loaded.tensors) {
    if (key.startsWith('mask/')) {
      mask[key.slice(5)] = Uint8Array.from(t.dataSync());
      t.dispose();
    } else weights.set(key.slice(7), t);
  }
  return { mask, weights, meta };
}

/**
 * Loads a ticket's weights (⊙ mask) into a network of the same architecture; adds missing heads.
 * @throws ShapeMismatchError when the network does not match the ticket
 */
export function loadTicketIntoNetwork(network: Network, ticket: Ticket): void {
  if (network.architecture !== ticket.meta.architecture) {
    throw new ShapeMismatchError(`loadTicketIntoNetwork: the ticket is for "${ticket.meta.architecture}"; the network is "${network.architecture}". Build the same architecture.`);
  }
  const heads = new Map<number, number>();
  for (const [name, w] of ticket.weights) {
    const m = /^head\/[^/]+\/(\d+)\/kernel$/.exec(name);
    if (m) heads.set(Number(m[1]), w.shape[1]!);
  }
  while (network.headWidths.length < heads.size) network.addHead(heads.get(network.headWidths.length)!);
  restoreSnapshot(new Map([...network.params, ...network.state]), ticket.weights);
  for (const [name, bits] of Object.entries(ticket.mask)) {
    const v = network.params.get(name)!;
    tf.tidy(() => v.assign(tf.mul(v, tf.tensor(Float32Array.from(bits), v.shape))));
  }
}

/**
 * "TR" tickets (§2.7): loads the ticket (mask + starting weights, e.g. θ(0)) and trains it on
 * tasks 0..upToTask of the scenario in order with the task objective (task 1 plain CE, later
 * tasks the §2.2 objective; KD only when the context gives a teacher); returns the test SA.
 * @example
 * ```ts
 * const { mean } = await retrainTicket(net, ticket, cil, 0, { seed: 1 }, { epochs: 100 });
 * ```
 */
export async function retrainTicket(
  network: Network,
  ticket: Ticket,
  scenario: Scenario,
  upToTask: number,
  context: Omit<CilTaskContext, 'mask'>,
  options: Partial<CilTrainOptions> = {},
): Promise<SeenAccuracy> {
  loadTicketIntoNetwork(network, ticket);
  for (let t = 0; t <= upToTask; t++) await trainCilTask(network, scenario, t, { ...context, mask: ticket.mask }, options);
  return _seen(network, scenario, upToTask + 1, ticket.mask);
}
