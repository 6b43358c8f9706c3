// Public API of src/pruning: re-exports only.
export {};
