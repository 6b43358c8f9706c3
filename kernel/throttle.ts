/**
 * Rate limiting for in-place outputs: run at most once per interval, always keep the latest
 * state, and flush the pending run on demand (e.g. when training ends).
 */

/** Runs a render function at most once every `intervalMs`, with a trailing run. */
export class Throttle {
  private last = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  /**
   * @param fn the render function
   * @param intervalMs minimum time between runs (0 = every call)
   * @param clock time source in ms (tests pass a fake one)
   */
  constructor(
    private readonly fn: () => void,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs now if the interval has passed, else schedules one trailing run. */
  request(): void {
    const now = this.clock();
    if (now - this.last >= this.intervalMs) {
      this.run();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.run(), this.intervalMs - (now - this.last));
      this.timer.unref?.();
    }
  }

  /** Runs now if a run is pending. */
  flush(): void {
    if (this.timer) this.run();
  }

  /** Drops a pending run without running it. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.last = this.clock();
    this.fn();
  }
}
