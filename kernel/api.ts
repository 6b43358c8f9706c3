/**
 * `ticketlab/kernel`: what notebook cells use to talk to the TicketLab kernel.
 * Re-exports only.
 *
 * @example
 * ```ts
 * import { display, plotly, table, progress, widgets, interrupted } from 'ticketlab/kernel';
 * ```
 */
export { display, DisplayHandle, displaySymbol, toMimeBundle, newDisplayId, isJsonMime } from './display';
export type { MimeBundle, Displayable, DisplayOptions } from './display';
export { plotly, plotlyBundle, resetPlotlyEmbedding } from './plotly';
export type { PlotlyFigure, PlotlyOptions } from './plotly';
export { sliderFigure } from './slider-figure';
export type { FigureStep, SliderFigureOptions } from './slider-figure';
export { table, tableBundle, isArqueroTable } from './table';
export type { TableViewOptions } from './table';
export { progress, ProgressDisplay, formatDuration } from './progress';
export { reportRecorder, ReportRecorder } from './report-recorder';
export type { RecordedItem } from './report-recorder';
export type { ProgressEvent, ProgressOptions, EpochPoint } from './progress';
export { widgets, widgetSettings, Widget, ValueWidget, Dropdown, Button } from './widgets';
export type { WidgetChange, RangeOptions, ValueWidgetOptions } from './widgets';
export { commManager, Comm, CommManager } from './comm-manager';
export type { CommData, CommMsgHandler, CommTargetHandler } from './comm-manager';
export { interrupted, interruptSignal, throwIfInterrupted, onInterrupt } from './interrupt';
