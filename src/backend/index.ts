// Public API of src/backend: re-exports only.
export { BACKEND_NAMES, formatBackendReport } from './backend-report';
export type { BackendName, BackendReport, SkippedBackend } from './backend-report';
export { initBackend } from './init-backend';
export type { InitBackendOptions } from './init-backend';
export { registerWasmTrainingKernels, stockWasmKernel } from './wasm-kernels/index';
