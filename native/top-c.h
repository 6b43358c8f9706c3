// TicketLab's native top-c window pass (top-c.cc): the `topc_window` wasm kernel of
// src/backend/host-kernels/top-c-kernels.ts, the same integer logic eight lanes wide.
#pragma once

#include <cstdint>

namespace ticketlab {

// The arrays of one window pass over n entries: the scores' float32 bits, W's bits (null for the
// 0/1 mask) and the output; keys and index hold `capacity` entries; counts receives
// [below, inside].
struct TopCWindowArrays {
  const int32_t *s, *w;
  int32_t* out;
  int32_t *keys, *index, *counts;
};

// For each entry, key = |s| bits: key < lo counts as below; key > hi is kept (out = W's bits, or
// 1.0f), else dropped (W's sign bit alone, or 0); keys in [lo, hi] are collected in index order
// (the first `capacity` of them, key and position) and all of them counted as inside. Passes of
// at least 2^18 entries are cut into parts on up to `threads` threads and merged in index order,
// so the result is that of one serial pass. lo, hi ≥ 0.
void TopCWindow(const TopCWindowArrays& arrays, int64_t n, int32_t lo, int32_t hi, int32_t capacity, int threads);

}  // namespace ticketlab
