// Public API of src/methods: re-exports only.
export * from './types';
export * from './registry';
export * from './train-on-task';
export * from './evaluate-learner';
