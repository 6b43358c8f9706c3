// TicketLab's native Adam updates (optimizer.cc): the rule of src/train/adam.ts over float32
// arrays, bit-identical to its wasm kernels, with WSN's top-c gradients made on the fly.
#pragma once

#include <cstdint>

namespace ticketlab {

// Adam's hyper-parameters, as float32 (the rule's values rounded once, as the wasm kernels get them).
struct AdamHyper {
  bool decay;  // add wd·W to the gradient
  float wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon;
};

// One parameter's step scalars: 1/√(1−β2^t) and lr/(1−β1^t).
struct AdamStep {
  float invCorrection2, stepSize;
};

// One parameter's arrays: weight, gradient, moments, their outputs (distinct buffers), and the
// byte update mask (0 = frozen: keep weight and moments) or null.
struct AdamArrays {
  const float *w, *g, *m, *v;
  float *outW, *outM, *outV;
  const uint8_t* mask;
};

// A WSN layer: dy = ∂L/∂(W ⊙ m), the weight W and its score s with their moments and outputs,
// their update masks (or null), the key of τ (m = |s| key ≥ τ) and the smallest |s| key whose
// sign is ±1, and each parameter's step scalars.
struct AdamTopCArrays {
  const float *dy, *s, *w, *mW, *vW, *mS, *vS;
  float *outW, *outMW, *outVW, *outS, *outMS, *outVS;
  const uint8_t *maskW, *maskS;
  int32_t tauKey, signFloorKey;
  AdamStep stepW, stepS;
};

// outputs ← Adam(w, g, m, v) over n entries (the `adam` wasm kernel), on up to `threads` threads
// when n ≥ 2^18.
void AdamUpdate(const AdamArrays& arrays, int64_t n, const AdamHyper& hyper, const AdamStep& step, int threads);

// W and s updated in one pass from dy: W by Adam on ∂W = dy ⊙ m, s by Adam on the
// straight-through ∂s = (dy · W) · sign(s) with the old W (the `adam_top_c_weight` and
// `adam_top_c_score` wasm kernels, in one pass over the arrays).
void AdamTopCUpdate(const AdamTopCArrays& arrays, int64_t n, const AdamHyper& hyper, int threads);

// "avx2" when the CPU runs the eight-lane code, else "scalar".
const char* AdamSimd();

}  // namespace ticketlab
