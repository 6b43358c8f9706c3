/** Internal: what a backend probe returns. Not exported from the barrel. */

/** A working, active backend, or why not. */
export type ProbeResult =
  | {
      readonly ok: true;
      readonly tfjsName: string;
      readonly device: string;
      /** Measured threads (wasm), or the cores libtensorflow uses by default. */
      readonly threads: number;
      readonly simd: boolean;
      readonly notes?: readonly string[];
      readonly kernels?: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };
