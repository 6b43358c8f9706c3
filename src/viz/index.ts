// Public API of src/viz: re-exports only.
export type { FigureOptions, PlotlyFigure, PlotlyTrace } from './plotly-figure';
export { accuracyLinesFigure, type AccuracyLinesOptions, type LineSeries } from './accuracy-lines-figure';
export { accuracyHeatmapFigure, type AccuracyHeatmapOptions } from './accuracy-heatmap-figure';
export { densityAccuracyFigure, type DensityAccuracyOptions, type DensityPoint } from './density-accuracy-figure';
export { capacityFigure, type CapacityOptions } from './capacity-figure';
export { overlapHeatmapFigure, type OverlapHeatmapOptions } from './overlap-heatmap-figure';
export { tableToHTML, tableToText, type TableViewOptions } from './table-view';
export { renderReport, type Report, type ReportSection } from './render-report';
