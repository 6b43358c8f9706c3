// Public API of src/data: re-exports only.
export * from './types';
