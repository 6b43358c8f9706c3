// Scenario builders: how arrays become tasks. Re-exports only.
export * from './task-split';
export * from './class-split';
export * from './permuted';
export * from './rotated';
export * from './superclass-split';
export * from './multi-dataset';
export * from './lifelong-cil';
export * from './describe-scenario';
export type { ValidationPolicy } from './task-builder';
export type { ClassSplitOptions } from './split-by-classes';
