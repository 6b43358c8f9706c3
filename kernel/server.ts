/**
 * The TicketLab kernel server: tslab's ZmqServer (sockets, heartbeat) and JupyterHandlerImpl
 * (TypeScript completion, inspection, is_complete) with TicketLab's message dispatch on top.
 *
 * Hook points in tslab 1.0.22 (documented in docs/kernel.md):
 * - `ZmqServer.prototype.handleShellMessage` is overridden (subclass) to decode with
 *   WireMessage and to handle comm_*, interrupt_request, history_request and a correct
 *   comm_info_reply; the per-type methods of tslab are reused for inspect/complete/is_complete.
 * - `createExecutor(rootDir, convs, console)` gets our own `console`: tslab reports type errors
 *   and thrown values through `console.error` and a cell's last value through `console.log`,
 *   which become `error` and `execute_result` messages here.
 * - The converter set wraps tslab's converter to remember the JavaScript that ran, so stack
 *   lines can be mapped back to cell lines.
 */
import { JupyterHandlerImpl, ZmqServer } from 'tslab/dist/jupyter';
import { createExecutor, ConverterSet, Executor } from 'tslab/dist/executor';
import { createConverter, Converter } from 'tslab/dist/converter';
import { WireMessage, SendSocket, PROTOCOL_VERSION } from './wire-message';
import { kernelIO } from './kernel-io';
import { commManager } from './comm-manager';
import { registerWidgetTargets } from './widgets';
import { toMimeBundle } from './display';
import { CellDiagnostic, compileErrorContent, ErrorContent, runtimeErrorContent } from './error-report';
import { interrupted, resetInterrupt, triggerInterrupt } from './interrupt';

/** Options of {@link TicketLabServer}. */
export interface ServerOptions {
  /** Jupyter connection file. */
  configPath: string;
  /** kernel_info banner (called on each request, so it can report a late backend choice). */
  banner: () => string;
  /** Resolves to a message shown once in the first cell's output (e.g. the backend choice). */
  startupMessage?: Promise<string>;
  /** How long an interrupted async cell may run on to reach a poll point before its await is cut. Default 2000 ms. */
  interruptGraceMs?: number;
  /** Version reported as implementation_version. */
  version: string;
}

interface Capture {
  diagnostics: CellDiagnostic[];
  errors: unknown[];
  hasValue: boolean;
  value: unknown;
}

interface CellOutcome {
  status: 'ok' | 'error';
  count: number;
  error?: ErrorContent;
}

class CellFailed {
  constructor(readonly outcome: CellOutcome) {}
}

/** Converters for Node code that remember the last JavaScript they produced. */
class RecordingConverters implements ConverterSet {
  private nodeConv: Converter | null = null;
  private browserConv: Converter | null = null;
  lastJs = '';

  get node(): Converter {
    if (!this.nodeConv) {
      const inner = createConverter({ isJS: false, isBrowser: false });
      const convert = inner.convert.bind(inner);
      inner.convert = (prevDecl: string, src: string) => {
        const result = convert(prevDecl, src);
        this.lastJs = result.output ?? '';
        return result;
      };
      this.nodeConv = inner;
    }
    return this.nodeConv;
  }

  get browser(): Converter {
    if (!this.browserConv) this.browserConv = createConverter({ isJS: false, isBrowser: true });
    return this.browserConv;
  }

  close(): void {
    this.nodeConv?.close();
    this.browserConv?.close();
  }
}

type Sock = Parameters<ZmqServer['handleShellMessage']>[0];
type TslabMessage = Parameters<ZmqServer['handleInspect']>[1];

/** TicketLab's kernel server (see the module comment for what it adds to tslab). */
export class TicketLabServer extends ZmqServer {
  private readonly converters: RecordingConverters;
  private readonly executor: Executor;
  private readonly tsHandler: JupyterHandlerImpl;
  /** Cells run one at a time, in arrival order. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Execute requests received so far; requests numbered ≤ abortUpTo are aborted (queued behind a failure). */
  private received = 0;
  private abortUpTo = 0;
  private readonly capture: Capture = { diagnostics: [], errors: [], hasValue: false, value: undefined };
  private readonly options: ServerOptions;
  private readonly realStderr = process.stderr.write.bind(process.stderr);
  private executionCount = 0;
  private running = false;
  private silent = false;
  private hardInterruptTimer: NodeJS.Timeout | null = null;
  private startupShown = false;

  /** Builds the executor and handler; call `init()` to bind the sockets. */
  constructor(options: ServerOptions) {
    const converters = new RecordingConverters();
    const capture: Capture = { diagnostics: [], errors: [], hasValue: false, value: undefined };
    const executor = createExecutor(process.cwd(), converters, {
      log: (value?: unknown) => {
        capture.hasValue = true;
        capture.value = value;
      },
      error: (first?: unknown, ...rest: unknown[]) => {
        if (first === '%s%d:%d - %s') {
          const file = String(rest[0] ?? '').trim();
          capture.diagnostics.push({ fileName: file || undefined, line: Number(rest[1]), column: Number(rest[2]), message: String(rest[3]) });
        } else {
          capture.errors.push(first);
        }
      },
    });
    const handler = new JupyterHandlerImpl(executor, false);
    super(handler, options.configPath);
    this.converters = converters;
    this.executor = executor;
    this.tsHandler = handler;
    this.capture = capture;
    this.options = options;
    converters.node; // warm the TypeScript service before the first request

    kernelIO().attach((msgType, content, parent, buffers) => this.sendIopub(msgType, content, parent, buffers));
    registerWidgetTargets();
    process.stdout.write = this.streamWriter('stdout');
    process.stderr.write = this.streamWriter('stderr');
    process.on('SIGINT', () => this.interrupt());
    process.on('uncaughtException', (e) => this.reportBackground('Uncaught exception', e));
    process.on('unhandledRejection', (e) => this.reportBackground('Unhandled promise rejection', e));
  }

  /** Writes a line to the kernel's real stderr (the Jupyter server log), not to a cell. */
  log(text: string): void {
    this.realStderr(`[TicketLab kernel] ${text}\n`);
  }

  override publishStatus(status: string, parent: TslabMessage): void {
    this.sendIopub('status', { execution_state: status }, parent as unknown as WireMessage);
  }

  override async handleShellMessage(sock: Sock, ...frames: Buffer[]): Promise<void> {
    let msg: WireMessage;
    try {
      msg = WireMessage.fromFrames(this.connInfo.key, frames);
    } catch (e) {
      this.log(`dropped a message: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const asTslab = msg as unknown as TslabMessage;
    this.publishStatus('busy', asTslab);
    let shutdown = false;
    try {
      switch (msg.header.msg_type) {
        case 'kernel_info_request':
          this.reply(sock, msg, 'kernel_info_reply', this.kernelInfo());
          break;
        case 'execute_request':
          await this.execute(sock, msg);
          break;
        case 'is_complete_request':
          this.handleIsComplete(sock, asTslab);
          break;
        case 'inspect_request':
          this.guarded(sock, msg, 'inspect_reply', () => this.handleInspect(sock, asTslab));
          break;
        case 'complete_request':
          this.guarded(sock, msg, 'complete_reply', () => this.handleComplete(sock, asTslab));
          break;
        case 'comm_info_request': {
          const target = (msg.content as { target_name?: string }).target_name;
          this.reply(sock, msg, 'comm_info_reply', { status: 'ok', comms: commManager().info(target) });
          break;
        }
        case 'comm_open':
          await commManager().handleOpen(msg);
          break;
        case 'comm_msg':
          await commManager().handleMsg(msg);
          break;
        case 'comm_close':
          commManager().handleClose(msg);
          break;
        case 'history_request':
          this.reply(sock, msg, 'history_reply', { status: 'ok', history: [] });
          break;
        case 'interrupt_request':
          this.interrupt();
          this.reply(sock, msg, 'interrupt_reply', { status: 'ok' });
          break;
        case 'shutdown_request':
          this.reply(sock, msg, 'shutdown_reply', { status: 'ok', restart: Boolean((msg.content as { restart?: boolean }).restart) });
          shutdown = true;
          break;
        default:
          this.log(`unsupported message type ${msg.header.msg_type}`);
      }
    } catch (e) {
      this.log(`error while handling ${msg.header.msg_type}: ${e instanceof Error ? e.stack : String(e)}`);
    } finally {
      this.publishStatus('idle', asTslab);
    }
    if (shutdown) {
      setTimeout(() => {
        this.close();
        process.exit(0);
      }, 50);
    }
  }

  /** kernel_info_reply content. */
  kernelInfo(): Record<string, unknown> {
    const base = this.tsHandler.handleKernel();
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'ticketlab',
      implementation_version: this.options.version,
      language_info: { ...base.language_info, version: require('@tslab/typescript-for-tslab').version as string },
      banner: this.options.banner(),
      help_links: [{ text: 'TicketLab kernel', url: 'https://github.com/yunabe/tslab' }],
    };
  }

  /**
   * Interrupt: abort the cell's signal so loops stop at their next poll; if an async cell has
   * not finished after the grace period (or on a second interrupt), cut its await as tslab does.
   */
  interrupt(): void {
    triggerInterrupt();
    if (!this.running) return;
    if (this.hardInterruptTimer) {
      this.hardInterruptNow();
      return;
    }
    this.hardInterruptTimer = setTimeout(() => this.hardInterruptNow(), this.options.interruptGraceMs ?? 2000);
  }

  private hardInterruptNow(): void {
    if (this.hardInterruptTimer) clearTimeout(this.hardInterruptTimer);
    this.hardInterruptTimer = null;
    if (this.running) this.executor.interrupt();
  }

  private async execute(sock: Sock, msg: WireMessage): Promise<void> {
    const req = msg.content as { stop_on_error?: boolean };
    const seq = ++this.received;
    const run = this.chain.then(async (): Promise<Record<string, unknown>> => {
      if (seq <= this.abortUpTo) return { status: 'aborted', execution_count: this.executionCount };
      try {
        const outcome = await this.runCell(msg);
        return { status: 'ok', execution_count: outcome.count, payload: [], user_expressions: {} };
      } catch (e) {
        // Like ipykernel: on error, abort the cells already queued behind this one (Run All
        // stops), unless the request says stop_on_error: false. Later requests run normally.
        if (req.stop_on_error !== false) this.abortUpTo = this.received;
        if (e instanceof CellFailed) return { status: 'error', execution_count: e.outcome.count, ...e.outcome.error };
        this.log(`unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
        return { status: 'error', execution_count: this.executionCount, ename: 'KernelError', evalue: String(e), traceback: [String(e)] };
      }
    });
    this.chain = run.catch(() => undefined);
    this.reply(sock, msg, 'execute_reply', await run);
  }

  private async runCell(msg: WireMessage): Promise<CellOutcome> {
    const req = msg.content as { code: string; silent?: boolean; store_history?: boolean };
    const silent = Boolean(req.silent);
    if (!silent && req.store_history !== false) this.executionCount++;
    const count = this.executionCount;
    const io = kernelIO();
    io.parent = msg;
    this.silent = silent;
    if (!silent) this.sendIopub('execute_input', { code: req.code, execution_count: count }, msg);
    await this.showStartupMessage();

    Object.assign(this.capture, { diagnostics: [], errors: [], hasValue: false, value: undefined });
    resetInterrupt();
    this.running = true;
    let ok: boolean;
    try {
      ok = await this.executor.execute(req.code);
    } finally {
      this.running = false;
      if (this.hardInterruptTimer) clearTimeout(this.hardInterruptTimer);
      this.hardInterruptTimer = null;
    }
    let error: ErrorContent | undefined;
    if (!ok) {
      if (this.capture.diagnostics.length) error = compileErrorContent(this.capture.diagnostics, req.code);
      else error = runtimeErrorContent(this.capture.errors[0] ?? new Error('the cell failed'), req.code, this.converters.lastJs);
    } else if (interrupted()) {
      error = {
        ename: 'KeyboardInterrupt',
        evalue: 'interrupted: the cell stopped at a poll point and ran to its end; results so far are kept',
        traceback: ['\x1b[31mKeyboardInterrupt\x1b[0m: interrupted; the cell stopped at a poll point and ran to its end'],
      };
    }
    if (error) {
      if (!silent) this.sendIopub('error', { ...error }, msg);
      throw new CellFailed({ status: 'error', count, error });
    }
    if (this.capture.hasValue && !silent) {
      let data: Record<string, unknown>;
      try {
        data = toMimeBundle(this.capture.value);
      } catch (e) {
        data = { 'text/plain': `(display failed: ${e instanceof Error ? e.message : String(e)})` };
      }
      this.sendIopub('execute_result', { execution_count: count, data, metadata: {} }, msg);
    }
    return { status: 'ok', count };
  }

  private async showStartupMessage(): Promise<void> {
    if (this.startupShown || !this.options.startupMessage) return;
    this.startupShown = true;
    const text = await this.options.startupMessage;
    if (text) this.sendIopub('stream', { name: 'stdout', text: text.endsWith('\n') ? text : text + '\n' }, kernelIO().parent);
  }

  private guarded(sock: Sock, msg: WireMessage, replyType: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.reply(sock, msg, replyType, { status: 'error', ename: err.name, evalue: err.message, traceback: [String(err.stack)] });
    }
  }

  private reply(sock: Sock, parent: WireMessage, msgType: string, content: Record<string, unknown>): void {
    const r = parent.createReply(msgType);
    r.content = content;
    r.signAndSend(this.connInfo.key, sock as unknown as SendSocket);
  }

  private sendIopub(msgType: string, content: Record<string, unknown>, parent: WireMessage | null, buffers?: Buffer[]): void {
    if (!this.iopub) return;
    const m = parent ? parent.createReply(msgType) : new WireMessage(WireMessage.header(msgType, 'ticketlab-kernel', 'kernel'));
    m.identity = [Buffer.from(msgType)]; // iopub topic
    m.content = content;
    if (buffers) m.buffers = buffers;
    m.signAndSend(this.connInfo.key, this.iopub as unknown as SendSocket);
  }

  private streamWriter(name: 'stdout' | 'stderr'): typeof process.stdout.write {
    const decoder = new TextDecoder();
    return ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
      if (!this.silent) this.sendIopub('stream', { name, text }, kernelIO().parent);
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  }

  private reportBackground(what: string, e: unknown): void {
    const text = `${what} (the kernel keeps running): ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`;
    if (this.iopub) this.sendIopub('stream', { name: 'stderr', text }, kernelIO().parent);
    else this.log(text);
  }
}
