// Public API of src/methods: re-exports only.
export {};
