/**
 * The bridge between cell-side helpers (display, progress, widgets) and the running kernel.
 *
 * The server attaches a sender once; helpers publish iopub messages through `kernelIO()`.
 * Messages are parented to the request being handled (the running cell, or the comm message
 * whose callback is running), which is what front-ends use to route output to a cell.
 * Outside a kernel (plain Node, tests) nothing is attached and `publish` writes the
 * `text/plain` part of displays to stdout, so library code still runs.
 */
import type { WireMessage } from './wire-message';

/** Sends one iopub message; installed by the kernel server. */
export type IopubSender = (
  msgType: string,
  content: Record<string, unknown>,
  parent: WireMessage | null,
  buffers?: Buffer[],
) => void;

/** Process-wide kernel I/O state; one per process, shared through `globalThis`. */
export class KernelIO {
  private sender: IopubSender | null = null;
  /** The request whose handling is in progress: an execute_request or a comm message. */
  parent: WireMessage | null = null;

  /** Installs the iopub sender (called once by the server). */
  attach(sender: IopubSender): void {
    this.sender = sender;
  }

  /** True inside a running TicketLab kernel. */
  get attached(): boolean {
    return this.sender !== null;
  }

  /** Publishes an iopub message parented to `parent` (default: the current request). */
  publish(msgType: string, content: Record<string, unknown>, parent?: WireMessage | null, buffers?: Buffer[]): void {
    if (this.sender) {
      this.sender(msgType, content, parent === undefined ? this.parent : parent, buffers);
      return;
    }
    const data = content['data'] as Record<string, unknown> | undefined;
    const text = data?.['text/plain'];
    if (typeof text === 'string') process.stdout.write(text + '\n');
  }

  /** Runs `fn` with `parent` as the current request, restoring the previous one after. */
  withParent<T>(parent: WireMessage, fn: () => T): T {
    const saved = this.parent;
    this.parent = parent;
    try {
      return fn();
    } finally {
      this.parent = saved;
    }
  }
}

const KEY = Symbol.for('ticketlab.kernel.io');

/** The process-wide KernelIO (created on first use). */
export function kernelIO(): KernelIO {
  const g = globalThis as unknown as Record<symbol, KernelIO | undefined>;
  let io = g[KEY];
  if (!io) {
    io = new KernelIO();
    g[KEY] = io;
  }
  return io;
}
