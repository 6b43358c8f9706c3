/**
 * WebAssembly text of TicketLab's fused lane-wise kernels: one SIMD pass (4 float32 lanes) over
 * several arrays in the wasm backend's own memory, with an optional per-entry 0/1 byte mask
 * that keeps the old values where it is 0. A kernel is declared by its arrays and a body of
 * f32x4 expressions; this file writes the loop, the 1–3 element tail (lane loads and stores,
 * so nothing outside the arrays is read or written) and the exports. Each kernel is compiled
 * once per combination of mask (none / byte mask) and boolean options, so the loop carries no
 * branch on them: `adam`, `adam_masked`, `adam_decay`, `adam_masked_decay`.
 */

/** One fused lane-wise kernel. */
export interface LanewiseKernel {
  /** Export name. */
  readonly name: string;
  /** float32 input arrays, read. */
  readonly inputs: readonly string[];
  /**
   * float32 output arrays, written; each names the input whose old value it keeps where the
   * mask is 0 (`keep`), unless `unmasked` (written everywhere, e.g. WSN's scores, which the
   * weights' update mask does not freeze).
   */
  readonly outputs: readonly { readonly name: string; readonly keep: string; readonly unmasked?: boolean }[];
  /** f32 scalar parameters, available in the body as splatted vectors `$<name>`. */
  readonly scalars: readonly string[];
  /** i32 parameters, available in the body as `$<name>`. */
  readonly ints: readonly string[];
  /** Boolean options, fixed per compiled variant (see {@link variantName}). */
  readonly options: readonly string[];
  /**
   * WAT statements computing every output vector `$out_<name>` (v128 locals) from the input
   * vectors `$<name>`, the scalars and the ints, for one setting of the options. Extra v128
   * locals are declared in `locals`.
   */
  readonly body: (options: Readonly<Record<string, boolean>>) => string;
  readonly locals?: readonly string[];
}

/** Export name of one variant: the kernel name, `_masked` with a mask, `_<option>` per option on. */
export function variantName(kernel: LanewiseKernel, masked: boolean, options: readonly boolean[]): string {
  return [kernel.name, ...(masked ? ['masked'] : []), ...kernel.options.filter((_, i) => options[i])].join('_');
}

/** Every (masked, options) combination of a kernel. */
function variants(kernel: LanewiseKernel): { masked: boolean; options: boolean[] }[] {
  const combos: boolean[][] = [[]];
  for (let i = 0; i < kernel.options.length; i++) {
    combos.splice(0, combos.length, ...combos.flatMap((c) => [[...c, false], [...c, true]]));
  }
  return [false, true].flatMap((masked) => combos.map((options) => ({ masked, options })));
}

/** Byte size of one float32. */
const F32 = 4;

function vectorLocals(kernel: LanewiseKernel): string {
  const names = [...kernel.inputs, ...kernel.outputs.map((o) => `out_${o.name}`), ...(kernel.locals ?? []), 'keep'];
  return names.map((n) => `(local $${n} v128)`).join(' ');
}

/** Signature: array pointers (inputs, outputs), mask pointer (ignored unmasked), count, ints, scalars. */
function params(kernel: LanewiseKernel): string {
  const pointers = [...kernel.inputs.map((n) => `p_${n}`), ...kernel.outputs.map((o) => `p_out_${o.name}`), 'p_mask', 'n'];
  return [
    ...pointers.map((n) => `(param $${n} i32)`),
    ...kernel.ints.map((n) => `(param $${n} i32)`),
    ...kernel.scalars.map((n) => `(param $s_${n} f32)`),
  ].join(' ');
}

/** Stores the (masked) outputs at byte offset `$at` (full vectors) or the first `$r` lanes. */
function stores(kernel: LanewiseKernel, partial: boolean, masked: boolean): string {
  return kernel.outputs
    .map(({ name, keep, unmasked }) => {
      const value = masked && !unmasked ? `(v128.bitselect (local.get $out_${name}) (local.get $${keep}) (local.get $keep))` : `(local.get $out_${name})`;
      const address = `(i32.add (local.get $p_out_${name}) (local.get $at))`;
      return partial ? `(call $store_lanes ${address} (local.get $r) ${value})` : `(v128.store ${address} ${value})`;
    })
    .join('\n      ');
}

function loads(kernel: LanewiseKernel, partial: boolean, masked: boolean): string {
  const inputs = kernel.inputs.map((name) => {
    const address = `(i32.add (local.get $p_${name}) (local.get $at))`;
    return `(local.set $${name} ${partial ? `(call $load_lanes ${address} (local.get $r))` : `(v128.load ${address})`})`;
  });
  if (!masked) return inputs.join('\n      ');
  const maskAddress = '(i32.add (local.get $p_mask) (local.get $i))';
  const maskBytes = partial ? `(call $load_mask_lanes ${maskAddress} (local.get $r))` : `(v128.load32_zero ${maskAddress})`;
  const keep = `(local.set $keep (i32x4.ne (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u ${maskBytes})) (v128.const i32x4 0 0 0 0)))`;
  return [...inputs, keep].join('\n      ');
}

/** The WAT function of one variant of a lane-wise kernel (it calls the tail helpers of {@link moduleWat}). */
function variantFunction(kernel: LanewiseKernel, masked: boolean, optionValues: readonly boolean[]): string {
  const splats = kernel.scalars.map((n) => `(local.set $${n} (f32x4.splat (local.get $s_${n})))`).join('\n    ');
  const scalarLocals = kernel.scalars.map((n) => `(local $${n} v128)`).join(' ');
  const body = kernel.body(Object.fromEntries(kernel.options.map((o, i) => [o, optionValues[i]])));
  return `
  (func (export "${variantName(kernel, masked, optionValues)}") ${params(kernel)}
    (local $i i32) (local $at i32) (local $end i32) (local $r i32) ${scalarLocals} ${vectorLocals(kernel)}
    ${splats}
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      ${loads(kernel, false, masked)}
      ${body}
      ${stores(kernel, false, masked)}
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))
    (local.set $r (i32.sub (local.get $n) (local.get $end)))
    (if (local.get $r) (then
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      ${loads(kernel, true, masked)}
      ${body}
      ${stores(kernel, true, masked)})))`;
}

/** The WAT functions of every variant of a lane-wise kernel. */
export function lanewiseFunctions(kernel: LanewiseKernel): string[] {
  return variants(kernel).map(({ masked, options }) => variantFunction(kernel, masked, options));
}

/**
 * Runs one compiled variant over several disjoint argument lists at once (part 0 on the calling
 * thread), or null where there is nothing to run in parallel with.
 */
export interface LanewiseSplitter {
  /** Parts to cut a pass into (threads available, the caller's included). */
  readonly parts: number;
  /** Passes shorter than this many entries run whole on the calling thread. */
  readonly minLength: number;
  run(exportName: string, parts: readonly (readonly number[])[]): void;
}

/** Parts start at multiples of this many entries: whole vectors, and no cache line shared by two threads. */
const PART_ALIGN = 1024;

/**
 * A JS entry point for a lane-wise kernel with the signature of its declaration: pointers,
 * mask pointer (0: none), count, one 0/1 number per option, ints, scalars. It calls the
 * compiled variant for that mask and those options; with a `splitter`, long passes are cut into
 * contiguous parts run in parallel (every entry is computed independently, so the result is
 * bit-identical to one pass).
 */
export function lanewiseEntry(
  kernel: LanewiseKernel, wasmExports: Record<string, unknown>, splitter: LanewiseSplitter | null = null,
): (...args: number[]) => void {
  const pointers = kernel.inputs.length + kernel.outputs.length;
  const optionCount = kernel.options.length;
  const table = new Map(variants(kernel).map(({ masked, options }) => {
    const name = variantName(kernel, masked, options);
    return [`${masked}:${options.join(',')}`, { name, run: wasmExports[name] as (...args: number[]) => void }];
  }));
  return (...args: number[]) => {
    const mask = args[pointers];
    const n = args[pointers + 1];
    const options = args.slice(pointers + 2, pointers + 2 + optionCount).map((v) => v !== 0);
    const variant = table.get(`${mask !== 0}:${options.join(',')}`)!;
    const rest = args.slice(pointers + 2 + optionCount);
    if (splitter === null || splitter.parts < 2 || n < splitter.minLength) {
      variant.run(...args.slice(0, pointers + 2), ...rest);
      return;
    }
    const step = Math.ceil(n / splitter.parts / PART_ALIGN) * PART_ALIGN;
    const parts: number[][] = [];
    for (let start = 0; start < n; start += step) {
      const count = Math.min(step, n - start);
      const moved = args.slice(0, pointers).map((p) => p + 4 * start);
      parts.push([...moved, mask === 0 ? 0 : mask + start, count, ...rest]);
    }
    splitter.run(variant.name, parts);
  };
}

/** Helpers for the tail: the first r (1–3) lanes of a vector, the others zero / untouched. */
const TAIL_HELPERS = `
  (func $load_lanes (param $p i32) (param $r i32) (result v128) (local $v v128)
    (local.set $v (v128.load32_lane 0 (local.get $p) (v128.const i32x4 0 0 0 0)))
    (if (i32.gt_u (local.get $r) (i32.const 1)) (then (local.set $v (v128.load32_lane 1 (i32.add (local.get $p) (i32.const ${F32})) (local.get $v)))))
    (if (i32.gt_u (local.get $r) (i32.const 2)) (then (local.set $v (v128.load32_lane 2 (i32.add (local.get $p) (i32.const ${2 * F32})) (local.get $v)))))
    (local.get $v))
  (func $load_mask_lanes (param $p i32) (param $r i32) (result v128) (local $v v128)
    (local.set $v (v128.load8_lane 0 (local.get $p) (v128.const i32x4 0 0 0 0)))
    (if (i32.gt_u (local.get $r) (i32.const 1)) (then (local.set $v (v128.load8_lane 1 (i32.add (local.get $p) (i32.const 1)) (local.get $v)))))
    (if (i32.gt_u (local.get $r) (i32.const 2)) (then (local.set $v (v128.load8_lane 2 (i32.add (local.get $p) (i32.const 2)) (local.get $v)))))
    (local.get $v))
  (func $store_lanes (param $p i32) (param $r i32) (param $v v128)
    (v128.store32_lane 0 (local.get $p) (local.get $v))
    (if (i32.gt_u (local.get $r) (i32.const 1)) (then (v128.store32_lane 1 (i32.add (local.get $p) (i32.const ${F32})) (local.get $v))))
    (if (i32.gt_u (local.get $r) (i32.const 2)) (then (v128.store32_lane 2 (i32.add (local.get $p) (i32.const ${2 * F32})) (local.get $v)))))`;

/**
 * The module text: the given functions and the tail helpers, over an imported memory
 * (`env.memory`, the wasm backend's; shared when its build is multi-threaded).
 */
export function moduleWat(functions: readonly string[], sharedMemory: boolean): string {
  const memory = sharedMemory ? '(memory 1 65536 shared)' : '(memory 1)';
  return `(module
  (import "env" "memory" ${memory})
${TAIL_HELPERS}
${functions.join('\n')}
)`;
}
