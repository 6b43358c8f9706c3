// Public API of src/viz: re-exports only.
export {};
