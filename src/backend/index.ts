// Public API of src/backend: re-exports only.
export {};
