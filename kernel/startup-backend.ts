/**
 * Picks the compute backend once, when the kernel starts (GPU first, through the library's
 * `initBackend`), and returns the line shown in the banner and the first cell's output.
 */

interface BackendModule {
  initBackend?: (options: Record<string, unknown>) => Promise<unknown>;
  formatBackendReport?: (report: unknown) => string;
}

/**
 * Initialises the backend. Never throws: failures become the returned message.
 * `TICKETLAB_KERNEL_BACKEND=skip` leaves tfjs untouched (fast start, e.g. in kernel tests).
 */
export async function startBackend(load: () => unknown = () => require('ticketlab')): Promise<string> {
  if (process.env['TICKETLAB_KERNEL_BACKEND'] === 'skip') return 'TicketLab backend: not initialised (TICKETLAB_KERNEL_BACKEND=skip).';
  let lib: BackendModule;
  try {
    lib = load() as BackendModule;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return `TicketLab backend: not initialised; the ticketlab library did not load (${why}). Run \`npm run build\` and restart the kernel.`;
  }
  if (typeof lib.initBackend !== 'function') {
    return 'TicketLab backend: not initialised; this build of ticketlab has no initBackend. Run `npm run build` and restart the kernel.';
  }
  try {
    const report = await lib.initBackend({});
    const text = typeof lib.formatBackendReport === 'function' ? lib.formatBackendReport(report) : JSON.stringify(report);
    return `TicketLab backend: ${text}`;
  } catch (e) {
    return `TicketLab backend: initBackend failed (${e instanceof Error ? e.message : String(e)}); tfjs keeps its default backend.`;
  }
}
