/**
 * TicketLab: lottery tickets in continual learning on TensorFlow.js.
 * Re-exports only: the public API at a glance.
 */
export * from './errors';
export * from './random';
export * from './backend/index';
export * from './data/index';
export * from './models/index';
export * from './pruning/index';
export * from './train/index';
export * from './metrics/index';
export * from './viz/index';
export * from './methods/index';
export * from './experiment/index';
export * from './lifelong/index';
