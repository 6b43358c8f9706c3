/**
 * Jupyter comms (messaging spec "Custom Messages"): kernel- and front-end-initiated
 * `comm_open`, `comm_msg`, `comm_close`, and the data for `comm_info_reply`.
 * tslab has no comms (tslab#23); the TicketLab server routes those messages here.
 */
import { randomBytes } from 'crypto';
import { kernelIO } from './kernel-io';
import type { WireMessage } from './wire-message';

/** Data carried by comm messages (any JSON object). */
export type CommData = Record<string, unknown>;
/** Handler of a message on a comm: the data, the binary buffers and the raw message. */
export type CommMsgHandler = (data: CommData, buffers: Buffer[], msg: WireMessage) => void | Promise<void>;
/** Handler of a front-end `comm_open` on a registered target. */
export type CommTargetHandler = (comm: Comm, data: CommData, msg: WireMessage) => void | Promise<void>;

/** One open comm. */
export class Comm {
  private msgHandlers: CommMsgHandler[] = [];
  private closeHandlers: Array<(data: CommData) => void> = [];
  private open = true;

  /** @internal created by CommManager */
  constructor(
    readonly id: string,
    readonly targetName: string,
    private readonly manager: CommManager,
  ) {}

  /** False after either side closed it. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Sends `comm_msg` to the front-end. */
  send(data: CommData, buffers: Buffer[] = []): void {
    if (!this.open) return;
    kernelIO().publish('comm_msg', { comm_id: this.id, data }, undefined, buffers.length ? buffers : undefined);
  }

  /** Closes the comm from the kernel side (sends `comm_close`). */
  close(data: CommData = {}): void {
    if (!this.open) return;
    kernelIO().publish('comm_close', { comm_id: this.id, data });
    this.closed(data);
  }

  /** Adds a handler for front-end messages on this comm. */
  onMsg(fn: CommMsgHandler): this {
    this.msgHandlers.push(fn);
    return this;
  }

  /** Adds a handler run when the comm closes (either side). */
  onClose(fn: (data: CommData) => void): this {
    this.closeHandlers.push(fn);
    return this;
  }

  /** @internal */
  deliver(data: CommData, buffers: Buffer[], msg: WireMessage): Promise<void> {
    // Run every handler's synchronous part now, while `msg` is the output parent.
    return Promise.all(this.msgHandlers.map((fn) => fn(data, buffers, msg))).then(() => undefined);
  }

  /** @internal */
  closed(data: CommData): void {
    if (!this.open) return;
    this.open = false;
    this.manager.forget(this.id);
    for (const fn of this.closeHandlers) fn(data);
  }
}

/** All comms and comm targets of this kernel process. */
export class CommManager {
  private readonly comms = new Map<string, Comm>();
  private readonly targets = new Map<string, CommTargetHandler>();

  /** Registers what happens when the front-end opens a comm on `targetName`. */
  registerTarget(targetName: string, handler: CommTargetHandler): void {
    this.targets.set(targetName, handler);
  }

  /** Opens a comm from the kernel (sends `comm_open`). */
  open(targetName: string, data: CommData = {}, metadata: Record<string, unknown> = {}, buffers: Buffer[] = []): Comm {
    const comm = new Comm(randomBytes(16).toString('hex'), targetName, this);
    this.comms.set(comm.id, comm);
    kernelIO().publish(
      'comm_open',
      { comm_id: comm.id, target_name: targetName, data, metadata },
      undefined,
      buffers.length ? buffers : undefined,
    );
    return comm;
  }

  /** The comm with this id, if open. */
  get(id: string): Comm | undefined {
    return this.comms.get(id);
  }

  /** `comm_info_reply.comms`: open comms, optionally only those on `targetName`. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values()) {
      if (!targetName || c.targetName === targetName) out[c.id] = { target_name: c.targetName };
    }
    return out;
  }

  /** Handles a front-end `comm_open`; unknown targets get an immediate `comm_close`. */
  async handleOpen(msg: WireMessage): Promise<void> {
    const { comm_id: id, target_name: target, data } = msg.content as { comm_id: string; target_name: string; data?: CommData };
    const handler = this.targets.get(target);
    const comm = new Comm(id, target, this);
    if (!handler) {
      kernelIO().publish('comm_close', { comm_id: id, data: {} }, msg);
      kernelIO().publish('stream', { name: 'stderr', text: `comm_open: no comm target "${target}" in the TicketLab kernel; closed it.\n` }, msg);
      return;
    }
    this.comms.set(id, comm);
    await runCallback(msg, () => handler(comm, data ?? {}, msg));
  }

  /** Handles a front-end `comm_msg`. */
  async handleMsg(msg: WireMessage): Promise<void> {
    const { comm_id: id, data } = msg.content as { comm_id: string; data?: CommData };
    const comm = this.comms.get(id);
    if (!comm) return; // closed or never opened: the spec says ignore
    await runCallback(msg, () => comm.deliver(data ?? {}, msg.buffers, msg));
  }

  /** Handles a front-end `comm_close`. */
  handleClose(msg: WireMessage): void {
    const { comm_id: id, data } = msg.content as { comm_id: string; data?: CommData };
    const comm = this.comms.get(id);
    if (comm) kernelIO().withParent(msg, () => comm.closed(data ?? {}));
  }

  /** @internal */
  forget(id: string): void {
    this.comms.delete(id);
  }
}

/**
 * Runs a user callback with `msg` as the output parent during its synchronous part (after its
 * first await, output goes to the running cell again); reports, never rethrows, its errors.
 */
async function runCallback(msg: WireMessage, fn: () => void | Promise<void>): Promise<void> {
  const io = kernelIO();
  const report = (e: unknown): void =>
    io.publish('stream', { name: 'stderr', text: `Error in comm callback: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n` }, msg);
  let pending: void | Promise<void>;
  try {
    pending = io.withParent(msg, fn);
  } catch (e) {
    report(e);
    return;
  }
  try {
    await pending;
  } catch (e) {
    report(e);
  }
}

const KEY = Symbol.for('ticketlab.kernel.comms');

/** The process-wide CommManager. */
export function commManager(): CommManager {
  const g = globalThis as unknown as Record<symbol, CommManager | undefined>;
  let m = g[KEY];
  if (!m) {
    m = new CommManager();
    g[KEY] = m;
  }
  return m;
}
