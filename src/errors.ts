/**
 * Error classes and message helpers: the one place where TicketLab says what went wrong.
 *
 * Every message follows the same shape: where (`fn`), what was expected, what came, and what
 * to do. Public functions validate their inputs once, at the boundary, with the `expect*`
 * helpers below; internals trust their inputs.
 *
 * @example
 * ```ts
 * expectInRange('wsn', 'keepFraction', 1.5, { min: 0, max: 1, minInclusive: false });
 * // InvalidArgumentError: wsn: keepFraction must be in (0, 1]; got 1.5.
 * ```
 */

/** Base class of every error TicketLab throws on purpose. */
export class TicketLabError extends Error {
  override readonly name: string = 'TicketLabError';
}

/** A function argument or option has a bad value (wrong range, type, length or name). */
export class InvalidArgumentError extends TicketLabError {
  override readonly name = 'InvalidArgumentError';
}

/** Two tensors or arrays that must agree in shape do not. */
export class ShapeMismatchError extends TicketLabError {
  override readonly name = 'ShapeMismatchError';
}

/** A registry lookup (method, benchmark, architecture, dataset, backend) failed. */
export class UnknownNameError extends TicketLabError {
  override readonly name = 'UnknownNameError';
}

/** A requested compute backend cannot be used on this machine. */
export class BackendUnavailableError extends TicketLabError {
  override readonly name = 'BackendUnavailableError';
}

/** A data file is missing, truncated, corrupt or not in the expected format. */
export class DataFormatError extends TicketLabError {
  override readonly name = 'DataFormatError';
  /**
   * @param file the path (or archive member) being read
   * @param expected what the reader expected to find
   * @param found what it found instead
   * @param hint optional advice on how to fix it
   */
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly found: string,
    hint?: string,
  ) {
    super(`${file}: expected ${expected}; found ${found}.${hint ? ` ${hint}` : ''}`);
  }
}

/** A dataset is not on disk and cannot be downloaded here. */
export class DatasetNotFoundError extends TicketLabError {
  override readonly name = 'DatasetNotFoundError';
}

/** A checkpoint or saved artifact cannot be read back. */
export class CheckpointError extends TicketLabError {
  override readonly name = 'CheckpointError';
}

/** Work was stopped on request (kernel interrupt, abort signal) at a safe point. */
export class InterruptedError extends TicketLabError {
  override readonly name = 'InterruptedError';
}

/** Renders a value for an error message: short, unambiguous, never throws. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describeValue).join(', ');
    return `[${shown}${value.length > 8 ? `, … (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length})`;
  if (typeof value === 'object') {
    try {
      const text = JSON.stringify(value);
      return text.length > 120 ? `${text.slice(0, 117)}...` : text;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** Options of {@link expectInRange}. */
export interface RangeSpec {
  min?: number;
  max?: number;
  /** Default true. */
  minInclusive?: boolean;
  /** Default true. */
  maxInclusive?: boolean;
  /** Require a whole number. Default false. */
  integer?: boolean;
  /** Extra advice appended to the message. */
  hint?: string;
}

function rangeText(spec: RangeSpec): string {
  const lo = spec.min === undefined ? '(-∞' : `${spec.minInclusive === false ? '(' : '['}${spec.min}`;
  const hi = spec.max === undefined ? '∞)' : `${spec.max}${spec.maxInclusive === false ? ')' : ']'}`;
  return `${spec.integer ? 'an integer in ' : 'in '}${lo}, ${hi}`;
}

/**
 * Checks that `value` is a finite number inside a range and returns it.
 * @throws InvalidArgumentError naming `fn`, `arg`, the range and the value.
 */
export function expectInRange(fn: string, arg: string, value: unknown, spec: RangeSpec): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!spec.integer || Number.isInteger(value)) &&
    (spec.min === undefined || (spec.minInclusive === false ? value > spec.min : value >= spec.min)) &&
    (spec.max === undefined || (spec.maxInclusive === false ? value < spec.max : value <= spec.max));
  if (!ok) {
    throw new InvalidArgumentError(
      `${fn}: ${arg} must be ${rangeText(spec)}; got ${describeValue(value)}.${spec.hint ? ` ${spec.hint}` : ''}`,
    );
  }
  return value as number;
}

/** Checks for a whole number ≥ `min` (default 1). */
export function expectPositiveInt(fn: string, arg: string, value: unknown, min = 1): number {
  return expectInRange(fn, arg, value, { min, integer: true });
}

/**
 * Checks that `value` is one of `known` and returns it typed.
 * @throws UnknownNameError listing the known names.
 */
export function expectOneOf<K extends string>(
  what: string,
  value: unknown,
  known: readonly K[],
  hint?: string,
): K {
  if (typeof value === 'string' && (known as readonly string[]).includes(value)) return value as K;
  const list = [...known].sort().join(', ');
  throw new UnknownNameError(
    `Unknown ${what} ${describeValue(value)}. Known ${what}s: ${list}.${hint ? ` ${hint}` : ''}`,
  );
}

/** Checks two shapes are equal. @throws ShapeMismatchError */
export function expectSameShape(
  fn: string,
  what: string,
  actual: readonly number[],
  expected: readonly number[],
): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new ShapeMismatchError(
      `${fn}: ${what} has shape [${actual.join(',')}]; expected [${expected.join(',')}].`,
    );
  }
}

/** Throws an InvalidArgumentError unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvalidArgumentError(message);
}

const warned = new Set<string>();

/**
 * Prints a warning once per `key` (legal but suspicious input). Set the environment variable
 * `TICKETLAB_QUIET=1` to silence all warnings.
 */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key) || process.env.TICKETLAB_QUIET === '1') return;
  warned.add(key);
  process.emitWarning(`${message} (set TICKETLAB_QUIET=1 to silence TicketLab warnings)`, {
    type: 'TicketLabWarning',
    code: key,
  });
}
