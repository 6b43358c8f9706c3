/**
 * Synchronous progress for Dawn in Node (`webgpu` npm package), so that a GPU → CPU read can
 * finish without returning to the event loop.
 *
 * dawn.node delivers every asynchronous result (buffer maps, device requests) from one native
 * callback that calls `wgpuInstanceProcessEvents`; it schedules that callback with the global
 * `setImmediate` whenever a request is in flight (AsyncRunner::ScheduleProcessEvents in Dawn's
 * src/dawn/node/binding/AsyncRunner.cpp). We wrap `setImmediate` once, remember the latest
 * native callback Dawn handed it (and still pass it on unchanged), and call it in a loop while
 * we wait: each call processes Dawn's events, which completes a pending `mapAsync` and flips
 * the buffer's `mapState` to "mapped" before its promise settles.
 */

type ImmediateFn = (...args: unknown[]) => void;

let hooked = false;
let latestDawnCallback: ImmediateFn | null = null;

/** A function Dawn created through N-API: anonymous, native, no parameters. */
function _isNativeCallback(fn: unknown): fn is ImmediateFn {
  return typeof fn === 'function' && fn.name === '' && fn.length === 0 && /\[native code\]/.test(Function.prototype.toString.call(fn));
}

/**
 * Wraps the global `setImmediate` to remember Dawn's event callback. Idempotent. Must run
 * before Dawn's first asynchronous request (device creation) to be sure of seeing the callback.
 */
export function _hookDawnEvents(): void {
  if (hooked) return;
  hooked = true;
  const original = globalThis.setImmediate;
  const wrapped = function (this: unknown, fn: ImmediateFn, ...args: unknown[]) {
    if (_isNativeCallback(fn)) latestDawnCallback = fn;
    return original.call(this, fn as never, ...(args as []));
  } as unknown as typeof setImmediate;
  Object.assign(wrapped, original);
  globalThis.setImmediate = wrapped;
}

/** Whether a Dawn event callback has been seen (a device was created after the hook). */
export function _canPumpDawn(): boolean {
  return latestDawnCallback !== null;
}

/**
 * Processes Dawn's events until `done()` is true or `timeoutMs` passes; returns `done()`.
 * Blocks the thread (a CPU spin with the GPU working), like WebGL's synchronous reads do.
 */
export function _pumpDawnUntil(done: () => boolean, timeoutMs: number): boolean {
  const callback = latestDawnCallback;
  if (callback === null) return done();
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    callback();
  }
  return true;
}
