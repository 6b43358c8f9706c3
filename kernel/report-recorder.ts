/**
 * The headless report recorder: outside a kernel, every displayed item (markdown, HTML, a
 * Plotly figure, an Arquero table, plain text) is recorded here in display order, so a script
 * run of a notebook can write the same content as a report afterwards. An update of an output
 * with a display id replaces the recorded item in place, as a front-end would. One recorder per
 * process, shared through `globalThis` like the kernel I/O state.
 */
import type { ColumnTable } from 'arquero';
import type { PlotlyFigure } from './plotly';
import type { TableViewOptions } from './table';

/** One recorded output. */
export type RecordedItem =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'html'; readonly html: string; readonly text: string }
  | { readonly kind: 'figure'; readonly figure: PlotlyFigure; readonly text: string }
  | { readonly kind: 'table'; readonly table: ColumnTable; readonly options: TableViewOptions; readonly text: string }
  | { readonly kind: 'text'; readonly text: string };

/** Records displayed items in order; see the module comment. */
export class ReportRecorder {
  private readonly entries: { id: string | undefined; item: RecordedItem }[] = [];

  /** Appends an item (`display_data`), remembering its display id. */
  add(item: RecordedItem, displayId?: string): void {
    this.entries.push({ id: displayId, item });
  }

  /** Replaces every item with `displayId` (`update_display_data`); appends when none has it. */
  update(item: RecordedItem, displayId: string): void {
    let found = false;
    for (const entry of this.entries) {
      if (entry.id === displayId) {
        entry.item = item;
        found = true;
      }
    }
    if (!found) this.add(item, displayId);
  }

  /** The recorded items, in display order. */
  items(): readonly RecordedItem[] {
    return this.entries.map((e) => e.item);
  }

  /** Forgets everything recorded so far. */
  clear(): void {
    this.entries.length = 0;
  }
}

const KEY = Symbol.for('ticketlab.kernel.report-recorder');

/** The process-wide recorder (created on first use). */
export function reportRecorder(): ReportRecorder {
  const g = globalThis as unknown as Record<symbol, ReportRecorder | undefined>;
  let recorder = g[KEY];
  if (!recorder) {
    recorder = new ReportRecorder();
    g[KEY] = recorder;
  }
  return recorder;
}
