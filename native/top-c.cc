// TicketLab's native top-c window pass: see top-c.h. Integer logic only (keys are the scores'
// float32 bits with the sign cleared, compared as int32), so it gives exactly the wasm kernel's
// output, counts, keys and positions; eight lanes at a time with AVX2 where the CPU has it. The
// rare vectors with an entry inside the window are collected one entry at a time.
#include "top-c.h"

#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "pool.h"

namespace ticketlab {
namespace {

constexpr int32_t kAbsBits = 0x7fffffff;
constexpr int32_t kSignBits = static_cast<int32_t>(0x80000000u);
constexpr int32_t kOneBits = 0x3f800000;

// Entries [begin, end) of a pass, collecting into keys/index (capacity each) from their start.
struct Range {
  int64_t begin, end;
  int32_t* keys;
  int32_t* index;
  int64_t below = 0, inside = 0;
};

inline void Entry(const TopCWindowArrays& a, int64_t i, int32_t lo, int32_t hi, int32_t capacity, Range& r) {
  const int32_t key = a.s[i] & kAbsBits;
  r.below += key < lo;
  const bool kept = key > hi;
  a.out[i] = a.w != nullptr ? a.w[i] & (kept ? -1 : kSignBits) : (kept ? kOneBits : 0);
  if (key >= lo && !kept) {
    if (r.inside < capacity) {
      r.keys[r.inside] = key;
      r.index[r.inside] = static_cast<int32_t>(i);
    }
    ++r.inside;
  }
}

void RangeScalar(const TopCWindowArrays& a, int64_t begin, int32_t lo, int32_t hi, int32_t capacity, Range& r) {
  for (int64_t i = begin; i < r.end; ++i) Entry(a, i, lo, hi, capacity, r);
}

template <bool kWeight>
__attribute__((target("avx2"))) void RangeAvx2(const TopCWindowArrays& a, int32_t lo, int32_t hi, int32_t capacity, Range& r) {
  const __m256i abs = _mm256_set1_epi32(kAbsBits), sign = _mm256_set1_epi32(kSignBits), one = _mm256_set1_epi32(kOneBits);
  const __m256i lov = _mm256_set1_epi32(lo), hiv = _mm256_set1_epi32(hi);
  __m256i below = _mm256_setzero_si256();
  int64_t i = r.begin;
  for (; i + 8 <= r.end; i += 8) {
    const __m256i key = _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.s + i)), abs);
    const __m256i under = _mm256_cmpgt_epi32(lov, key);  // key < lo
    const __m256i kept = _mm256_cmpgt_epi32(key, hiv);   // key > hi
    below = _mm256_sub_epi32(below, under);
    const __m256i out = kWeight ? _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.w + i)), _mm256_or_si256(kept, sign))
                                : _mm256_and_si256(kept, one);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.out + i), out);
    const int outside = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_or_si256(under, kept)));
    if (outside != 0xff) {
      for (int j = 0; j < 8; ++j) {
        if (outside >> j & 1) continue;
        if (r.inside < capacity) {
          r.keys[r.inside] = a.s[i + j] & kAbsBits;
          r.index[r.inside] = static_cast<int32_t>(i + j);
        }
        ++r.inside;
      }
    }
  }
  alignas(32) int32_t lanes[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), below);
  for (const int32_t lane : lanes) r.below += lane;
  RangeScalar(a, i, lo, hi, capacity, r);
}

void RunRange(const TopCWindowArrays& a, int32_t lo, int32_t hi, int32_t capacity, Range& r) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (!avx2) RangeScalar(a, r.begin, lo, hi, capacity, r);
  else if (a.w != nullptr) RangeAvx2<true>(a, lo, hi, capacity, r);
  else RangeAvx2<false>(a, lo, hi, capacity, r);
}

// The native Adam's rule for cutting passes: at least 2^18 entries, parts at multiples of 1024.
constexpr int64_t kSplitMinLength = int64_t{1} << 18;
constexpr int64_t kPartAlign = 1024;

}  // namespace

void TopCWindow(const TopCWindowArrays& a, int64_t n, int32_t lo, int32_t hi, int32_t capacity, int threads) {
  const int parts = n < kSplitMinLength ? 1 : std::max(1, threads);
  const int64_t step = (n / parts + kPartAlign - 1) / kPartAlign * kPartAlign;
  // Part 0 collects straight into the output; the others into their own buffers, appended after.
  std::vector<std::vector<int32_t>> buffers(parts - 1);
  std::vector<Range> ranges(parts);
  for (int p = 0; p < parts; ++p) {
    const int64_t begin = std::min(n, p * step);
    ranges[p].begin = begin;
    ranges[p].end = p == parts - 1 ? n : std::min(n, begin + step);
    if (p == 0) {
      ranges[p].keys = a.keys;
      ranges[p].index = a.index;
    } else {
      buffers[p - 1].resize(2 * static_cast<size_t>(capacity));
      ranges[p].keys = buffers[p - 1].data();
      ranges[p].index = buffers[p - 1].data() + capacity;
    }
  }
  Pool().Run(parts, [&](int p) { RunRange(a, lo, hi, capacity, ranges[p]); });
  int64_t below = 0, inside = 0;
  for (int p = 0; p < parts; ++p) {
    const Range& r = ranges[p];
    if (p > 0 && inside < capacity) {
      const int64_t take = std::min<int64_t>(std::min<int64_t>(r.inside, capacity), capacity - inside);
      std::copy(r.keys, r.keys + take, a.keys + inside);
      std::copy(r.index, r.index + take, a.index + inside);
    }
    below += r.below;
    inside += r.inside;
  }
  a.counts[0] = static_cast<int32_t>(below);
  a.counts[1] = static_cast<int32_t>(inside);
}

}  // namespace ticketlab
