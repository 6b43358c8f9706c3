/**
 * Live training progress for notebooks: a status line (task i/T, epoch, loss, accuracy,
 * throughput, ETA) and an optional live chart (loss and accuracy per epoch, accuracy matrix so
 * far), each one output updated in place through its display id (`update_display_data`) at a
 * bounded rate. Feed it src/train's progress events.
 *
 * Outside a kernel (no kernel I/O attached) the status goes to stderr as single lines, at most
 * one per `minIntervalMs` (default 2 s there), plus the final line; the chart is not drawn live
 * but its final state is recorded in the headless report recorder by `done()`.
 */
import { DisplayHandle, MimeBundle, display, newDisplayId } from './display';
import { escapeHtml } from './html';
import { kernelIO } from './kernel-io';
import { PlotlyFigure, claimPlotlyEmbedding, plotlyHtml, plotlySummary } from './plotly';
import { reportRecorder } from './report-recorder';
import { Throttle } from './throttle';

/**
 * One progress event: the shape of src/train's `ProgressEvent` (pass `p.update` as
 * `onProgress`). Task and epoch are 0-based, `step` counts steps done in the epoch, accuracy
 * is in percent.
 */
export interface ProgressEvent {
  readonly kind?: 'step' | 'epoch';
  readonly task: number;
  readonly epoch: number;
  readonly epochs?: number;
  readonly step: number;
  readonly stepsPerEpoch?: number | null;
  readonly loss: number;
  readonly accuracy?: number | null;
  readonly samplesPerSecond?: number;
  readonly etaSeconds?: number | null;
  readonly val?: { readonly loss: number; readonly accuracy: number };
}

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** Number of tasks (shown as i/T). */
  tasks?: number;
  /** Epochs per task (default: the events' `epochs`). */
  epochs?: number;
  /** Steps per epoch (default: the events' `stepsPerEpoch`). */
  steps?: number;
  /** Title above the bar. */
  title?: string;
  /** Also show a live chart. Default false. */
  chart?: boolean;
  /** Minimum ms between status updates. Default 250 in a kernel, 2000 outside one (stderr lines). */
  minIntervalMs?: number;
  /** Minimum ms between chart redraws. Default 2000. */
  chartIntervalMs?: number;
  /** Time source (tests). */
  clock?: () => number;
}

/** Per-epoch history point kept for the chart. */
export interface EpochPoint {
  task: number;
  epoch: number;
  loss: number;
  accuracy?: number;
  valAccuracy?: number;
}

function fmt(x: number | undefined, digits = 4): string {
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** Seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A live progress display; create with {@link progress}. */
export class ProgressDisplay {
  readonly status: DisplayHandle;
  readonly chart: DisplayHandle | null;
  private last: ProgressEvent | null = null;
  private readonly history: EpochPoint[] = [];
  private matrix: number[][] = [];
  private readonly statusThrottle: Throttle;
  private readonly chartThrottle: Throttle;
  private readonly carriesPlotlyJs: boolean;
  private finished = false;
  /** True outside a kernel: status lines go to stderr, the chart is recorded when done. */
  private readonly headless: boolean;

  /** @internal use {@link progress} */
  constructor(private readonly options: ProgressOptions) {
    const clock = options.clock ?? Date.now;
    this.headless = !kernelIO().attached;
    if (this.headless) {
      this.status = new DisplayHandle(newDisplayId());
      this.statusThrottle = new Throttle(() => this.writeStatusLine(), options.minIntervalMs ?? 2000, clock);
      this.carriesPlotlyJs = false;
      this.chart = null;
      this.chartThrottle = new Throttle(() => undefined, options.chartIntervalMs ?? 2000, clock);
      return;
    }
    this.status = display(this.statusBundle(), { displayId: newDisplayId() });
    this.statusThrottle = new Throttle(() => this.status.update(this.statusBundle()), options.minIntervalMs ?? 250, clock);
    if (options.chart) {
      this.carriesPlotlyJs = claimPlotlyEmbedding('auto');
      this.chart = display(this.chartBundle(this.carriesPlotlyJs), { displayId: newDisplayId() });
    } else {
      this.carriesPlotlyJs = false;
      this.chart = null;
    }
    this.chartThrottle = new Throttle(() => this.chart?.update(this.chartBundle(false)), options.chartIntervalMs ?? 2000, clock);
  }

  /** Records an event and redraws (throttled). A bound function: pass it as `onProgress`. */
  readonly update = (event: ProgressEvent): void => {
    const prev = this.last;
    this.last = event;
    const point: EpochPoint = { task: event.task, epoch: event.epoch, loss: event.loss, accuracy: event.accuracy ?? undefined, valAccuracy: event.val?.accuracy };
    const tail = this.history[this.history.length - 1];
    if (tail && tail.task === event.task && tail.epoch === event.epoch) this.history[this.history.length - 1] = point;
    else this.history.push(point);
    this.statusThrottle.request();
    if (this.chart && (!prev || prev.epoch !== event.epoch || prev.task !== event.task || event.kind === 'epoch')) this.chartThrottle.request();
  };

  /** Sets the accuracy matrix so far (`R[i][j]`: accuracy on task j after training task i). */
  setAccuracyMatrix(matrix: number[][]): void {
    this.matrix = matrix.map((row) => [...row]);
    this.chartThrottle.request();
  }

  /** Draws the final state now (call when training ends or is interrupted). */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.headless) {
      this.statusThrottle.cancel();
      this.writeStatusLine();
      if (this.options.chart) {
        const figure = this.figure();
        reportRecorder().add({ kind: 'figure', figure, text: plotlySummary(figure) });
      }
      return;
    }
    this.statusThrottle.flush();
    this.status.update(this.statusBundle());
    this.chartThrottle.flush();
    // The final chart carries plotly.js again if the first one did, so saved notebooks draw.
    this.chart?.update(this.chartBundle(this.carriesPlotlyJs));
  }

  /** The epoch history recorded so far. */
  epochs(): readonly EpochPoint[] {
    return this.history;
  }

  private writeStatusLine(): void {
    process.stderr.write(this.statusText() + '\n');
  }

  /** The status line as `text/plain`. */
  statusText(): string {
    const e = this.last;
    const o = this.options;
    if (!e) return `${o.title ? o.title + ': ' : ''}waiting for the first step…`;
    const epochs = o.epochs ?? e.epochs;
    const steps = o.steps ?? e.stepsPerEpoch ?? undefined;
    const parts = [
      `task ${e.task + 1}${o.tasks ? `/${o.tasks}` : ''}`,
      `epoch ${e.epoch + 1}${epochs ? `/${epochs}` : ''}`,
      `step ${e.step}${steps ? `/${steps}` : ''}`,
      `loss ${fmt(e.loss)}`,
      `acc ${e.accuracy === null || e.accuracy === undefined ? '–' : `${e.accuracy.toFixed(2)}%`}`,
      ...(e.val ? [`val acc ${e.val.accuracy.toFixed(2)}%`] : []),
      `${e.samplesPerSecond === undefined ? '–' : Math.round(e.samplesPerSecond).toLocaleString('en-US')} samples/s`,
      `ETA ${formatDuration(e.etaSeconds ?? undefined)}`,
    ];
    return `${o.title ? o.title + ': ' : ''}${parts.join(' | ')}${this.finished ? ' (done)' : ''}`;
  }

  /** Fraction of the whole run done (0–1), when the totals are known. */
  fraction(): number | undefined {
    const e = this.last;
    const tasks = this.options.tasks;
    const epochs = this.options.epochs ?? e?.epochs;
    const steps = this.options.steps ?? e?.stepsPerEpoch ?? undefined;
    if (!e || !tasks || !epochs) return undefined;
    const inEpoch = steps ? Math.min(1, e.step / steps) : 1;
    return Math.min(1, (e.task * epochs + e.epoch + inEpoch) / (tasks * epochs));
  }

  /** The status MIME bundle (HTML bar + text). */
  statusBundle(): MimeBundle {
    const f = this.fraction();
    const bar = f === undefined ? '' : `<progress value="${f.toFixed(4)}" max="1" style="width:40%;margin-right:1em"></progress>`;
    return {
      'text/html': `<div class="ticketlab-progress" style="font-family:monospace">${bar}${escapeHtml(this.statusText())}</div>`,
      'text/plain': this.statusText(),
    };
  }

  /** The live chart: loss and accuracy per epoch, and the accuracy matrix so far. */
  figure(): PlotlyFigure {
    const x = this.history.map((_, i) => i + 1);
    const labels = this.history.map((p) => `task ${p.task + 1}, epoch ${p.epoch + 1}`);
    const n = this.matrix.length;
    // A lower-triangular matrix: pad every row to the widest with nulls, so each column shows.
    const width = Math.max(0, ...this.matrix.map((row) => row.length));
    const z = this.matrix.map((row) => Array.from({ length: width }, (_, j) => (j < row.length ? row[j] : null)));
    return {
      data: [
        { type: 'scatter', mode: 'lines+markers', name: 'loss', x, y: this.history.map((p) => p.loss), text: labels, xaxis: 'x', yaxis: 'y' },
        { type: 'scatter', mode: 'lines+markers', name: 'train accuracy', x, y: this.history.map((p) => p.accuracy ?? null), text: labels, xaxis: 'x2', yaxis: 'y2' },
        { type: 'scatter', mode: 'lines+markers', name: 'val accuracy', x, y: this.history.map((p) => p.valAccuracy ?? null), text: labels, xaxis: 'x2', yaxis: 'y2' },
        {
          type: 'heatmap', name: 'R', z, colorscale: 'Viridis', showscale: false,
          x: Array.from({ length: width }, (_, j) => `eval ${j + 1}`),
          y: Array.from({ length: n }, (_, i) => `after ${i + 1}`),
          text: z.map((row) => row.map((v) => (v === null ? '' : v.toFixed(2)))), texttemplate: '%{text}', xaxis: 'x3', yaxis: 'y3',
        },
      ],
      layout: {
        height: 320,
        margin: { t: 40, b: 40, l: 50, r: 10 },
        showlegend: false,
        title: { text: this.options.title ?? 'training' },
        xaxis: { domain: [0, 0.3], title: { text: 'epoch' } },
        yaxis: { title: { text: 'loss' } },
        xaxis2: { domain: [0.36, 0.64], title: { text: 'epoch' }, anchor: 'y2' },
        yaxis2: { title: { text: 'accuracy (%)' }, anchor: 'x2', range: [0, 100] },
        xaxis3: { domain: [0.72, 1], anchor: 'y3' },
        yaxis3: { anchor: 'x3', autorange: 'reversed' },
      },
    };
  }

  private chartBundle(withPlotlyJs: boolean): MimeBundle {
    const fig = this.figure();
    return {
      'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout },
      'text/html': plotlyHtml(fig, withPlotlyJs),
      'text/plain': `Live chart: ${this.history.length} epochs, accuracy matrix ${this.matrix.length}×${Math.max(0, ...this.matrix.map((row) => row.length))}`,
    };
  }
}

/**
 * Shows a live progress display and returns it; call `update(event)` from the training loop
 * (e.g. src/train's `onProgress`) and `done()` at the end.
 * @example
 * ```ts
 * import { progress } from 'ticketlab/kernel';
 * const p = progress({ tasks: 2, epochs: 3, steps: 100, chart: true, title: 'finetune' });
 * p.update({ task: 0, epoch: 0, epochs: 3, step: 10, stepsPerEpoch: 100, loss: 1.2, accuracy: 55, samplesPerSecond: 850, etaSeconds: 40 });
 * p.done();
 * // with the library: trainTask({ ...options, onProgress: p.update, shouldStop: interrupted })
 * ```
 */
export function progress(options: ProgressOptions = {}): ProgressDisplay {
  return new ProgressDisplay(options);
}
