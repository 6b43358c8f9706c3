// TicketLab's native Adam updates: the rule of src/train/adam.ts (and of its wasm kernels,
// src/backend/host-kernels/optimizer-kernels.ts and top-c-kernels.ts) over arrays in the wasm
// backend's heap, 8 lanes at a time with AVX2 where the CPU has it, else one entry at a time.
//
// Bit-identical to the wasm kernels and the tensor rule: every operation is a single IEEE
// float32 add, sub, mul, div or sqrt in the rule's order, rounded once. The AVX2 code is
// compiled for "avx2" alone (not "fma"), and the build passes -ffp-contract=off, so the
// compiler cannot fuse a multiply and an add. The wasm SIMD kernels are bound by f32x4 division
// and square root (about 1 ns per entry here); eight-lane AVX2 halves that and more.
#include "optimizer.h"

#include <immintrin.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "pool.h"

namespace ticketlab {
namespace {

constexpr int32_t kAbsBits = 0x7fffffff;
constexpr int32_t kSignBits = static_cast<int32_t>(0x80000000u);
constexpr int32_t kOneBits = 0x3f800000;
constexpr int32_t kInfinityBits = 0x7f800000;

inline int32_t Bits(float x) {
  int32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

inline float FromBits(int32_t bits) {
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// ---- One entry (the tail of a vector loop, and CPUs without AVX2) ----

// +0 where |x| < 2^−126 (subnormals and −0), else x (NaN kept): the rule's flushSubnormal.
inline float FlushSubnormal(float x) { return std::fabs(x) < FLT_MIN ? 0.0f : x; }

struct Entry {
  float w, m, v;
};

template <bool kDecay>
inline Entry AdamEntry(float w, float g, float m, float v, const AdamHyper& h, const AdamStep& step) {
  const float grad = kDecay ? g + w * h.wd : g;
  const float m1 = FlushSubnormal(m * h.beta1 + grad * h.oneMinusBeta1);
  const float v1 = FlushSubnormal(v * h.beta2 + (grad * grad) * h.oneMinusBeta2);
  return {w - (m1 / (std::sqrt(v1) * step.invCorrection2 + h.epsilon)) * step.stepSize, m1, v1};
}

// ∂W = dy ⊙ m, m = |s| ≥ τ by float32 key (−0 or +0 with dy's sign where m is 0).
inline float TopCWeightGradient(float dy, float s, int32_t tauKey) {
  return (Bits(s) & kAbsBits) >= tauKey ? dy : FromBits(Bits(dy) & kSignBits);
}

// ∂s = (dy · W) · sign(s), sign ±1 for keys in [signFloor, +∞], else +0 (NaN and tiny |s|).
inline float TopCScoreGradient(float dy, float w, float s, int32_t signFloor) {
  const int32_t key = Bits(s) & kAbsBits;
  const float sign = key >= signFloor && key <= kInfinityBits ? FromBits((Bits(s) & kSignBits) | kOneBits) : 0.0f;
  return (dy * w) * sign;
}

// One parameter's arrays in an update pass: moments, outputs, update mask (null: none).
struct ParamArrays {
  const float *m, *v;
  float *outW, *outM, *outV;
  const uint8_t* mask;
};

// Adam on entry i of a parameter with value w and gradient grad, stored (old values where frozen).
template <bool kDecay, bool kMask>
inline void AdamStore1(float w, float grad, const ParamArrays& p, int64_t i, const AdamHyper& h, const AdamStep& step) {
  const Entry e = AdamEntry<kDecay>(w, grad, p.m[i], p.v[i], h, step);
  const bool keep = kMask && p.mask[i] == 0;
  p.outW[i] = keep ? w : e.w;
  p.outM[i] = keep ? p.m[i] : e.m;
  p.outV[i] = keep ? p.v[i] : e.v;
}

inline ParamArrays Weight(const AdamArrays& a) { return {a.m, a.v, a.outW, a.outM, a.outV, a.mask}; }
inline ParamArrays TopCWeight(const AdamTopCArrays& a) { return {a.mW, a.vW, a.outW, a.outMW, a.outVW, a.maskW}; }
inline ParamArrays TopCScore(const AdamTopCArrays& a) { return {a.mS, a.vS, a.outS, a.outMS, a.outVS, a.maskS}; }

template <bool kDecay, bool kMask>
void AdamRangeScalar(const AdamArrays& a, int64_t begin, int64_t end, const AdamHyper& h, const AdamStep& step) {
  const ParamArrays p = Weight(a);
  for (int64_t i = begin; i < end; ++i) AdamStore1<kDecay, kMask>(a.w[i], a.g[i], p, i, h, step);
}

template <bool kDecay, bool kMaskW, bool kMaskS>
void AdamTopCRangeScalar(const AdamTopCArrays& a, int64_t begin, int64_t end, const AdamHyper& h) {
  const ParamArrays weight = TopCWeight(a), score = TopCScore(a);
  for (int64_t i = begin; i < end; ++i) {
    const float w = a.w[i], s = a.s[i], dy = a.dy[i];
    AdamStore1<kDecay, kMaskW>(w, TopCWeightGradient(dy, s, a.tauKey), weight, i, h, a.stepW);
    AdamStore1<kDecay, kMaskS>(s, TopCScoreGradient(dy, w, s, a.signFloorKey), score, i, h, a.stepS);
  }
}

// ---- Eight entries at a time (AVX2, no FMA) ----

#define TICKETLAB_AVX2 __attribute__((target("avx2")))

struct Vec8 {
  __m256 w, m, v;
};

struct HyperVec {
  __m256 wd, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon;
};

struct StepVec {
  __m256 invCorrection2, stepSize;
};

TICKETLAB_AVX2 inline HyperVec Splat(const AdamHyper& h) {
  return {_mm256_set1_ps(h.wd), _mm256_set1_ps(h.beta1), _mm256_set1_ps(h.oneMinusBeta1),
          _mm256_set1_ps(h.beta2), _mm256_set1_ps(h.oneMinusBeta2), _mm256_set1_ps(h.epsilon)};
}

TICKETLAB_AVX2 inline StepVec Splat(const AdamStep& s) { return {_mm256_set1_ps(s.invCorrection2), _mm256_set1_ps(s.stepSize)}; }

TICKETLAB_AVX2 inline __m256 FlushSubnormal8(__m256 x) {
  const __m256 magnitude = _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(kAbsBits)));
  return _mm256_andnot_ps(_mm256_cmp_ps(magnitude, _mm256_set1_ps(FLT_MIN), _CMP_LT_OQ), x);
}

template <bool kDecay>
TICKETLAB_AVX2 inline Vec8 Adam8(__m256 w, __m256 g, __m256 m, __m256 v, const HyperVec& h, const StepVec& step) {
  const __m256 grad = kDecay ? _mm256_add_ps(g, _mm256_mul_ps(w, h.wd)) : g;
  const __m256 m1 = FlushSubnormal8(_mm256_add_ps(_mm256_mul_ps(m, h.beta1), _mm256_mul_ps(grad, h.oneMinusBeta1)));
  const __m256 v1 = FlushSubnormal8(_mm256_add_ps(_mm256_mul_ps(v, h.beta2), _mm256_mul_ps(_mm256_mul_ps(grad, grad), h.oneMinusBeta2)));
  const __m256 denominator = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(v1), step.invCorrection2), h.epsilon);
  return {_mm256_sub_ps(w, _mm256_mul_ps(_mm256_div_ps(m1, denominator), step.stepSize)), m1, v1};
}

// All-ones lanes where the byte mask is 0 (the entry is frozen: keep its old values).
TICKETLAB_AVX2 inline __m256 Frozen8(const uint8_t* mask) {
  const __m256i bytes = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(mask)));
  return _mm256_castsi256_ps(_mm256_cmpeq_epi32(bytes, _mm256_setzero_si256()));
}

// key ≥ floor per lane, keys and floor non-negative int32.
TICKETLAB_AVX2 inline __m256i AtLeast8(__m256i key, int32_t floor) {
  return _mm256_xor_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(floor), key), _mm256_set1_epi32(-1));
}

// Adam on the 8 entries at i of a parameter with values w and gradients grad, stored (old values
// where frozen).
template <bool kDecay, bool kMask>
TICKETLAB_AVX2 inline void AdamStore8(__m256 w, __m256 grad, const ParamArrays& p, int64_t i, const HyperVec& h, const StepVec& step) {
  const __m256 m = _mm256_loadu_ps(p.m + i), v = _mm256_loadu_ps(p.v + i);
  Vec8 e = Adam8<kDecay>(w, grad, m, v, h, step);
  if (kMask) {
    const __m256 frozen = Frozen8(p.mask + i);
    e = {_mm256_blendv_ps(e.w, w, frozen), _mm256_blendv_ps(e.m, m, frozen), _mm256_blendv_ps(e.v, v, frozen)};
  }
  _mm256_storeu_ps(p.outW + i, e.w);
  _mm256_storeu_ps(p.outM + i, e.m);
  _mm256_storeu_ps(p.outV + i, e.v);
}

template <bool kDecay, bool kMask>
TICKETLAB_AVX2 void AdamRangeAvx2(const AdamArrays& a, int64_t begin, int64_t end, const AdamHyper& hyper, const AdamStep& stepScalars) {
  const HyperVec h = Splat(hyper);
  const StepVec step = Splat(stepScalars);
  const ParamArrays p = Weight(a);
  int64_t i = begin;
  for (; i + 8 <= end; i += 8) AdamStore8<kDecay, kMask>(_mm256_loadu_ps(a.w + i), _mm256_loadu_ps(a.g + i), p, i, h, step);
  AdamRangeScalar<kDecay, kMask>(a, i, end, hyper, stepScalars);
}

template <bool kDecay, bool kMaskW, bool kMaskS>
TICKETLAB_AVX2 void AdamTopCRangeAvx2(const AdamTopCArrays& a, int64_t begin, int64_t end, const AdamHyper& hyper) {
  const HyperVec h = Splat(hyper);
  const StepVec stepW = Splat(a.stepW), stepS = Splat(a.stepS);
  const ParamArrays weight = TopCWeight(a), score = TopCScore(a);
  const __m256i absBits = _mm256_set1_epi32(kAbsBits), signBits = _mm256_set1_epi32(kSignBits);
  const __m256i oneBits = _mm256_set1_epi32(kOneBits), infinityBits = _mm256_set1_epi32(kInfinityBits);
  int64_t i = begin;
  for (; i + 8 <= end; i += 8) {
    const __m256 dy = _mm256_loadu_ps(a.dy + i), s = _mm256_loadu_ps(a.s + i), w = _mm256_loadu_ps(a.w + i);
    const __m256i sBits = _mm256_castps_si256(s);
    const __m256i key = _mm256_and_si256(sBits, absBits);
    // ∂W = dy where the key reaches τ, else dy's sign bit alone (±0).
    const __m256i kept = _mm256_or_si256(AtLeast8(key, a.tauKey), signBits);
    const __m256 gradW = _mm256_and_ps(dy, _mm256_castsi256_ps(kept));
    // ∂s = (dy · W) · (±1 where floor ≤ key ≤ +∞, else +0).
    const __m256i signed1 = _mm256_or_si256(_mm256_and_si256(sBits, signBits), oneBits);
    const __m256i hasSign = _mm256_andnot_si256(_mm256_cmpgt_epi32(key, infinityBits), AtLeast8(key, a.signFloorKey));
    const __m256 gradS = _mm256_mul_ps(_mm256_mul_ps(dy, w), _mm256_castsi256_ps(_mm256_and_si256(signed1, hasSign)));

    AdamStore8<kDecay, kMaskW>(w, gradW, weight, i, h, stepW);
    AdamStore8<kDecay, kMaskS>(s, gradS, score, i, h, stepS);
  }
  AdamTopCRangeScalar<kDecay, kMaskW, kMaskS>(a, i, end, hyper);
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

// Passes of at least this many entries are cut into contiguous parts, one per thread (the wasm
// lane-wise kernels' rule, LANEWISE_SPLIT_MIN_LENGTH); parts start at multiples of 1024 entries.
constexpr int64_t kSplitMinLength = int64_t{1} << 18;
constexpr int64_t kPartAlign = 1024;

template <class Range>
void Split(int64_t n, int threads, const Range& range) {
  const int parts = n < kSplitMinLength ? 1 : std::max(1, threads);
  const int64_t step = (n / parts + kPartAlign - 1) / kPartAlign * kPartAlign;
  Pool().Run(parts, [&](int part) {
    const int64_t begin = std::min(n, part * step);
    const int64_t end = part == parts - 1 ? n : std::min(n, begin + step);
    if (begin < end) range(begin, end);
  });
}

template <bool kDecay, bool kMask>
void AdamRange(const AdamArrays& a, int64_t begin, int64_t end, const AdamHyper& h, const AdamStep& step) {
  if (HasAvx2()) AdamRangeAvx2<kDecay, kMask>(a, begin, end, h, step);
  else AdamRangeScalar<kDecay, kMask>(a, begin, end, h, step);
}

template <bool kDecay, bool kMaskW, bool kMaskS>
void AdamTopCRange(const AdamTopCArrays& a, int64_t begin, int64_t end, const AdamHyper& h) {
  if (HasAvx2()) AdamTopCRangeAvx2<kDecay, kMaskW, kMaskS>(a, begin, end, h);
  else AdamTopCRangeScalar<kDecay, kMaskW, kMaskS>(a, begin, end, h);
}

using AdamRangeFunction = void (*)(const AdamArrays&, int64_t, int64_t, const AdamHyper&, const AdamStep&);
using AdamTopCRangeFunction = void (*)(const AdamTopCArrays&, int64_t, int64_t, const AdamHyper&);

}  // namespace

const char* AdamSimd() { return HasAvx2() ? "avx2" : "scalar"; }

void AdamUpdate(const AdamArrays& a, int64_t n, const AdamHyper& h, const AdamStep& step, int threads) {
  static constexpr AdamRangeFunction kRanges[2][2] = {{AdamRange<false, false>, AdamRange<false, true>},
                                                      {AdamRange<true, false>, AdamRange<true, true>}};
  const AdamRangeFunction range = kRanges[h.decay][a.mask != nullptr];
  Split(n, threads, [&](int64_t begin, int64_t end) { range(a, begin, end, h, step); });
}

void AdamTopCUpdate(const AdamTopCArrays& a, int64_t n, const AdamHyper& h, int threads) {
  static constexpr AdamTopCRangeFunction kRanges[2][2][2] = {
      {{AdamTopCRange<false, false, false>, AdamTopCRange<false, false, true>}, {AdamTopCRange<false, true, false>, AdamTopCRange<false, true, true>}},
      {{AdamTopCRange<true, false, false>, AdamTopCRange<true, false, true>}, {AdamTopCRange<true, true, false>, AdamTopCRange<true, true, true>}}};
  const AdamTopCRangeFunction range = kRanges[h.decay][a.maskW != nullptr][a.maskS != nullptr];
  Split(n, threads, [&](int64_t begin, int64_t end) { range(a, begin, end, h); });
}

}  // namespace ticketlab
