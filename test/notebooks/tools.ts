/**
 * What the notebook tests need from the machine (Debian's Jupyter and Chromium), checked with a
 * clear message instead of a skip: CI installs them, so a missing tool is a failure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PYTHON } from '../../scripts/notebooks/run';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env['TICKETLAB_CHROMIUM'] ?? '/usr/bin/chromium';
export const JUPYTER = process.env['TICKETLAB_JUPYTER'] ?? '/usr/bin/jupyter';
/** Test artifacts (gitignored): executed notebooks, HTML exports, screenshots. */
export const ARTIFACTS = path.join(ROOT, 'artifacts', 'notebooks');

/** Fails unless Debian's python3 has nbclient, nbconvert and nbformat. */
export function requireJupyterPython(): void {
  const r = spawnSync(PYTHON, ['-c', 'import nbclient, nbconvert, nbformat'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${PYTHON} with nbclient, nbconvert and nbformat is required (Debian: apt-get install python3-nbclient python3-nbconvert jupyter-notebook): ${r.error?.message ?? r.stderr}`);
}

/** Fails unless the classic Notebook server is installed. */
export function requireJupyterNotebook(): void {
  assert.ok(fs.existsSync(JUPYTER), `${JUPYTER} is required (Debian: apt-get install jupyter-notebook), or set TICKETLAB_JUPYTER.`);
  const r = spawnSync(JUPYTER, ['notebook', '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `\`${JUPYTER} notebook --version\` failed: the classic Notebook server is required (apt-get install jupyter-notebook): ${r.stderr}`);
}

/** Starts headless Chromium (Debian's), failing with a clear message when it is missing. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is required for the browser tests (Debian: apt-get install chromium), or set TICKETLAB_CHROMIUM.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
