/**
 * Multi-MIME display: one `display_data` message may carry several representations, and
 * objects may say how to show themselves with the Deno/Jupyter display protocol
 * (`[Symbol.for('Jupyter.display')]()` returning a MIME bundle).
 */
import { randomBytes } from 'crypto';
import { inspect } from 'util';
import { InvalidArgumentError } from '../src/errors';
import { showHeadless } from './headless';
import { kernelIO } from './kernel-io';
import { isArqueroTable, tableBundle } from './table';

/**
 * A MIME bundle: MIME type → representation. Text types hold strings, JSON types
 * (`application/json`, `*+json`) hold plain objects, binary types hold bytes (sent base64).
 */
export type MimeBundle = Record<string, unknown>;

/** The display-protocol key (the same symbol Deno's kernel uses). */
export const displaySymbol: unique symbol = Symbol.for('Jupyter.display');

/** An object that renders itself as a MIME bundle when displayed or left as a cell's value. */
export interface Displayable {
  [displaySymbol](): MimeBundle;
}

/** Options of {@link display}. */
export interface DisplayOptions {
  /** Give the output a display id (true: a fresh one) so it can be updated in place later. */
  displayId?: string | boolean;
  /** Per-MIME metadata, e.g. `{ 'image/png': { width: 200 } }`. */
  metadata?: Record<string, unknown>;
  /** Treat `value` as a MIME bundle even if its keys are unusual (Deno's `{ raw: true }`). */
  raw?: boolean;
}

/** True for MIME types whose representation is JSON (sent as an object, not a string). */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** True if `value` implements the display protocol. */
export function isDisplayable(value: unknown): value is Displayable {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as Record<symbol, unknown>)[displaySymbol] === 'function'
  );
}

function looksLikeBundle(value: unknown): value is MimeBundle {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => /^[a-z]+\/[\w.+-]+$/i.test(k));
}

/**
 * Normalises a bundle for the wire: JSON types become objects (strings are parsed), bytes become
 * base64, and `text/plain` is always present.
 * @throws InvalidArgumentError when a JSON type holds a string that is not JSON.
 */
export function normalizeBundle(bundle: MimeBundle, fallback?: unknown): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, rep] of Object.entries(bundle)) {
    if (rep === undefined) continue;
    if (isJsonMime(mime)) {
      if (typeof rep === 'string') {
        try {
          out[mime] = JSON.parse(rep);
        } catch {
          throw new InvalidArgumentError(
            `display: "${mime}" must be a JSON object or JSON text; got ${JSON.stringify(rep.slice(0, 40))}. Pass the object itself.`,
          );
        }
      } else {
        out[mime] = rep;
      }
    } else if (rep instanceof Uint8Array) {
      out[mime] = Buffer.from(rep.buffer, rep.byteOffset, rep.byteLength).toString('base64');
    } else {
      out[mime] = typeof rep === 'string' ? rep : String(rep);
    }
  }
  if (typeof out['text/plain'] !== 'string') {
    out['text/plain'] = fallback === undefined ? `[${Object.keys(out).join(', ')}]` : plainText(fallback);
  }
  return out;
}

/** `util.inspect` as a notebook shows plain values. */
export function plainText(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: 4, colors: false, maxArrayLength: 50 });
}

/**
 * The MIME bundle for any value: the display protocol first, then Arquero tables, then
 * `text/plain` from `util.inspect`.
 */
export function toMimeBundle(value: unknown, options: { raw?: boolean } = {}): MimeBundle {
  if (isDisplayable(value)) return normalizeBundle(value[displaySymbol](), value);
  if (isArqueroTable(value)) return normalizeBundle(tableBundle(value));
  if (options.raw || looksLikeBundle(value)) return normalizeBundle(value as MimeBundle);
  return { 'text/plain': plainText(value) };
}

/** A fresh display id. */
export function newDisplayId(): string {
  return randomBytes(8).toString('hex');
}

/** An output that can be replaced in place (`update_display_data`) wherever it is shown. */
export class DisplayHandle {
  /** @param id the display id shared by all outputs this handle updates */
  constructor(readonly id: string) {}

  /** Shows `value` (again) as a new output with this display id. */
  display(value: unknown, options: Omit<DisplayOptions, 'displayId'> = {}): this {
    publishDisplay('display_data', value, this.id, options);
    return this;
  }

  /** Replaces every output with this display id by `value`. */
  update(value: unknown, options: Omit<DisplayOptions, 'displayId'> = {}): this {
    publishDisplay('update_display_data', value, this.id, options);
    return this;
  }
}

function publishDisplay(
  msgType: 'display_data' | 'update_display_data',
  value: unknown,
  displayId: string | undefined,
  options: Omit<DisplayOptions, 'displayId'>,
): void {
  const io = kernelIO();
  if (!io.attached) {
    // No kernel: print the text form and record the item for a headless report.
    showHeadless(msgType === 'update_display_data', value, displayId, () => toMimeBundle(value, options));
    return;
  }
  const content: Record<string, unknown> = {
    data: toMimeBundle(value, options),
    metadata: options.metadata ?? {},
    transient: displayId ? { display_id: displayId } : {},
  };
  io.publish(msgType, content);
}

/**
 * Shows a value in the cell's output: a MIME bundle (`{ 'text/html': ..., 'text/plain': ... }`),
 * a displayable object, an Arquero table, or anything else as text. Outside a kernel it prints
 * the text form to stdout and records the item in the headless report recorder.
 * @returns a handle to update the output in place when `displayId` was given, else `undefined`
 * @throws InvalidArgumentError when a JSON MIME type holds text that is not JSON.
 * @example
 * ```ts
 * import { display } from 'ticketlab/kernel';
 * const h = display({ 'text/html': '<b>epoch 1</b>', 'text/plain': 'epoch 1' }, { displayId: true });
 * h.update({ 'text/html': '<b>epoch 2</b>', 'text/plain': 'epoch 2' });
 * ```
 */
export function display(value: unknown, options: DisplayOptions & { displayId: string | true }): DisplayHandle;
export function display(value: unknown, options?: DisplayOptions): DisplayHandle | undefined;
export function display(value: unknown, options: DisplayOptions = {}): DisplayHandle | undefined {
  const id = options.displayId === true ? newDisplayId() : options.displayId || undefined;
  publishDisplay('display_data', value, id, options);
  return id ? new DisplayHandle(id) : undefined;
}
