// Public API of src/pruning: re-exports only.
export * from './mask';
export * from './select-kth';
export * from './top-c';
export * from './magnitude-prune';
export * from './round-half-even';
export * from './top-c-derived';
