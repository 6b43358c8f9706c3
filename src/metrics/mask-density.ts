/**
 * Density and sparsity of binary masks held on the host, per layer and over the network.
 *
 * A {@link HostMasks} object maps each maskable parameter name (e.g. `"fc1/kernel"`) to a
 * `Uint8Array` of 0/1 flags, one per weight in row-major order. Output heads are never part
 * of it (methods.md §0). Sparsity = fraction of zeros (0–1), density = 1 − sparsity.
 */
import { describeValue, InvalidArgumentError, ShapeMismatchError } from '../errors';

/** Binary masks on the host: parameter name → one 0/1 byte per weight (row-major). */
export type HostMasks = Readonly<Record<string, Uint8Array>>;

/** Kept and total weight counts of one layer or of the whole network. */
export interface DensityCount {
  /** Weights with mask 1. */
  readonly kept: number;
  /** All weights. */
  readonly total: number;
  /** kept / total, 0–1 (0 when total is 0). */
  readonly density: number;
  /** 1 − density, 0–1. */
  readonly sparsity: number;
}

/** {@link maskDensity} result: per layer and over all maskable weights. */
export interface MaskDensity extends DensityCount {
  readonly perLayer: Readonly<Record<string, DensityCount>>;
}

/**
 * Checks one mask set: every entry a Uint8Array of 0/1; optionally the same layer names and
 * lengths as `like`.
 * @throws InvalidArgumentError on a non-Uint8Array, a value other than 0/1 or no layers
 * @throws ShapeMismatchError when layer names or lengths differ from `like`
 * @example
 * ```ts
 * validateHostMasks('myFn', 'masks', { fc1: new Uint8Array([0, 1]) });
 * ```
 */
export function validateHostMasks(fn: string, what: string, masks: HostMasks, like?: HostMasks): void {
  if (masks === null || typeof masks !== 'object') {
    throw new InvalidArgumentError(`${fn}: ${what} must map parameter names to Uint8Array masks; got ${describeValue(masks)}.`);
  }
  const names = Object.keys(masks);
  if (names.length === 0) {
    throw new InvalidArgumentError(`${fn}: ${what} holds no layers. Pass at least one maskable parameter.`);
  }
  for (const name of names) {
    const m = masks[name];
    if (!(m instanceof Uint8Array)) {
      throw new InvalidArgumentError(
        `${fn}: ${what}["${name}"] must be a Uint8Array of 0/1; got ${describeValue(m)}. ` +
          'Copy a tensor mask to the host with `new Uint8Array(await t.data())`.',
      );
    }
    for (let k = 0; k < m.length; k++) {
      if (m[k] > 1) {
        throw new InvalidArgumentError(`${fn}: ${what}["${name}"][${k}] is ${m[k]}; a mask holds only 0 and 1.`);
      }
    }
  }
  if (like === undefined) return;
  const expected = Object.keys(like);
  const missing = expected.filter((n) => !(n in masks));
  const extra = names.filter((n) => !(n in like));
  if (missing.length > 0 || extra.length > 0) {
    throw new ShapeMismatchError(
      `${fn}: ${what} must have the same layers as the first mask set; missing [${missing.join(', ')}], ` +
        `extra [${extra.join(', ')}].`,
    );
  }
  for (const name of expected) {
    if (masks[name].length !== like[name].length) {
      throw new ShapeMismatchError(
        `${fn}: ${what}["${name}"] has ${masks[name].length} weights; the first mask set has ${like[name].length}.`,
      );
    }
  }
}

/** Counts ones in a 0/1 array (unchecked). */
export function _countOnes(mask: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < mask.length; k++) n += mask[k];
  return n;
}

/** Builds a density count (unchecked). */
export function _densityCount(kept: number, total: number): DensityCount {
  const density = total === 0 ? 0 : kept / total;
  return { kept, total, density, sparsity: 1 - density };
}

/**
 * Density and sparsity of a mask set, per layer and over all its weights (the network-level
 * value weights layers by size, as WSN's S in CAP does).
 * @throws InvalidArgumentError when a mask is not 0/1 bytes
 * @example
 * ```ts
 * maskDensity({ a: new Uint8Array([1, 0, 0, 0]), b: new Uint8Array([1, 1, 0, 0]) }).density; // 0.375
 * ```
 */
export function maskDensity(masks: HostMasks): MaskDensity {
  validateHostMasks('maskDensity', 'masks', masks);
  const perLayer: Record<string, DensityCount> = {};
  let kept = 0;
  let total = 0;
  for (const [name, m] of Object.entries(masks)) {
    const k = _countOnes(m);
    perLayer[name] = _densityCount(k, m.length);
    kept += k;
    total += m.length;
  }
  return { ...(_densityCount(kept, total)), perLayer };
}

/**
 * Union (logical OR) of several tasks' masks: `M_t = m_0 OR … OR m_t` (WSN §1.1).
 * @param masksPerTask one mask set per task, all with the same layers and lengths
 * @returns new arrays; the inputs are not modified
 * @throws InvalidArgumentError when the list is empty or a mask is not 0/1
 * @throws ShapeMismatchError when layers or lengths differ between tasks
 * @example
 * ```ts
 * unionMasks([{ a: new Uint8Array([1, 0]) }, { a: new Uint8Array([0, 1]) }]).a; // [1, 1]
 * ```
 */
export function unionMasks(masksPerTask: readonly HostMasks[]): Record<string, Uint8Array> {
  validateTaskMasks('unionMasks', masksPerTask);
  return _unionUnchecked(masksPerTask);
}

/** OR of validated mask sets (unchecked). */
export function _unionUnchecked(masksPerTask: readonly HostMasks[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of Object.keys(masksPerTask[0])) {
    const u = new Uint8Array(masksPerTask[0][name].length);
    for (const masks of masksPerTask) {
      const m = masks[name];
      for (let k = 0; k < u.length; k++) u[k] |= m[k];
    }
    out[name] = u;
  }
  return out;
}

/**
 * Checks a list of per-task mask sets: at least one, all 0/1, same layers and lengths.
 * @throws InvalidArgumentError | ShapeMismatchError
 * @example
 * ```ts
 * validateTaskMasks('myFn', [{ a: new Uint8Array([1]) }, { a: new Uint8Array([0]) }]);
 * ```
 */
export function validateTaskMasks(fn: string, masksPerTask: readonly HostMasks[]): void {
  if (!Array.isArray(masksPerTask) || masksPerTask.length === 0) {
    throw new InvalidArgumentError(
      `${fn}: expected one mask set per task (at least one); got ${describeValue(masksPerTask)}.`,
    );
  }
  masksPerTask.forEach((masks, t) => validateHostMasks(fn, `masksPerTask[${t}]`, masks, t === 0 ? undefined : masksPerTask[0]));
}
