#!/usr/bin/env node
// Builds TicketLab's optional native binding (native/*.cc → build/ticketlab_blas.node: BLAS
// products, convolutions, Adam updates, WSN's top-c window pass) with the system C++ compiler, Node's headers and
// OpenBLAS (Debian: g++ libopenblas-dev). -ffp-contract=off: no multiply-add is fused, so the
// native Adam stays bit-identical to the wasm kernels and the tensor rule.
// Runs on `npm install`/`npm ci` (postinstall). A failure is not an error: TicketLab then runs on
// its wasm kernels alone, and this prints why (rerun it by hand with `node scripts/build-native.cjs`).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const sources = ['blas.cc', 'conv.cc', 'optimizer.cc', 'top-c.cc'].map((file) => path.join(root, 'native', file));
const out = path.join(root, 'build', 'ticketlab_blas.node');
const headers = [path.join(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'].find((dir) =>
  fs.existsSync(path.join(dir, 'node_api.h')),
);
const cblas = ['/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu', '/usr/include/openblas', '/usr/include'].find((dir) =>
  fs.existsSync(path.join(dir, 'cblas.h')),
);

function skip(why) {
  console.log(`ticketlab: native BLAS not built (${why}); training uses the wasm kernels. See docs/cpu-speed.md.`);
  process.exit(0);
}

if (process.env.TICKETLAB_NATIVE_BLAS === '0') skip('TICKETLAB_NATIVE_BLAS=0');
if (!headers) skip("Node's headers (node_api.h) not found");
if (!cblas) skip('cblas.h not found: install libopenblas-dev');
fs.mkdirSync(path.dirname(out), { recursive: true });
try {
  execFileSync('g++', ['-O2', '-ffp-contract=off', '-shared', '-fPIC', '-std=c++17', '-pthread', `-I${headers}`, `-I${cblas}`, ...sources, '-o', out, '-lopenblas'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  console.log(`ticketlab: native BLAS built: ${path.relative(root, out)}`);
} catch (e) {
  const message = (e.stderr ? e.stderr.toString() : e.message).split('\n').find((l) => l.trim()) || e.message;
  skip(`g++ failed: ${message.trim()}`);
}
