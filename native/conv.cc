// TicketLab's native 2-D convolutions (NHWC, float32, dilation 1): forward, input gradient and
// filter gradient, each as matrix products over an im2col patch matrix built in cache-sized
// chunks, on several threads. Every thread takes a contiguous range of images; within it, the
// patch rows of one chunk of output pixels are copied (or, for the input gradient, scattered
// back) while they are still in the core's cache.
//
// Patch matrix of a chunk: one row per output pixel (n, oh, ow) in NHWC order, K = KH·KW·Ci
// columns in the filter's own [KH, KW, Ci] order, zeros where the window reaches into the
// padding. Then, with W the filter as [K, Co] (its tfjs layout):
//   forward          y[rows, Co]   = P · W
//   input gradient   dP[rows, K]   = dy[rows, Co] · Wᵀ, added back into dx (col2im); at stride 1
//                    instead the forward convolution of dy with the rotated filter (no scatter)
//   filter gradient  dW[K, Co]    += Pᵀ · dy[rows, Co]
#include "conv.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "pool.h"

namespace ticketlab {
namespace {

// Patch rows per chunk: about 128 K floats (512 KiB) of patch matrix, at least one output row.
int64_t ChunkRows(const ConvGeometry& g) {
  const int64_t k = static_cast<int64_t>(g.kh) * g.kw * g.ci;
  return std::max<int64_t>(g.wo, (128 * 1024) / std::max<int64_t>(k, 1));
}

// Columns b of the window at output column ow that fall inside the image: [*lo, *hi).
inline void InsideTaps(const ConvGeometry& g, int ow, int* lo, int* hi) {
  const int start = ow * g.sw - g.pl;  // input column of tap 0
  *lo = std::max(0, -start);
  *hi = std::min(g.kw, g.w - start);
  if (*hi < *lo) *hi = *lo;
}

// Calls run(patch, input, lo, hi) for every window row (one kernel row a) of the output pixels
// [r0, r1): `patch` is the float offset of its KW·Ci floats in the chunk's patch matrix,
// `input` the float offset in x of its tap `lo`, or −1 when the row lies in the padding; taps
// [lo, hi) fall inside the image.
template <class Run>
void ForWindowRows(const ConvGeometry& g, int64_t r0, int64_t r1, const Run& run) {
  const int64_t k = static_cast<int64_t>(g.kh) * g.kw * g.ci;
  const int64_t rowFloats = static_cast<int64_t>(g.kw) * g.ci;
  for (int64_t r = r0; r < r1; ++r) {
    const int ow = static_cast<int>(r % g.wo);
    const int64_t t = r / g.wo;
    const int oh = static_cast<int>(t % g.ho);
    const int64_t image = t / g.ho;
    int lo, hi;
    InsideTaps(g, ow, &lo, &hi);
    const int iw0 = ow * g.sw - g.pl;
    for (int a = 0; a < g.kh; ++a) {
      const int ih = oh * g.sh + a - g.pt;
      const bool inside = ih >= 0 && ih < g.h && lo < hi;
      run((r - r0) * k + a * rowFloats, inside ? ((image * g.h + ih) * g.w + iw0 + lo) * g.ci : -1, lo, hi);
    }
  }
}

// Writes the patch rows of output pixels [r0, r1) into col [r1 − r0, K].
void Im2col(const ConvGeometry& g, const float* x, int64_t r0, int64_t r1, float* col) {
  const size_t rowBytes = static_cast<size_t>(g.kw) * g.ci * sizeof(float);
  ForWindowRows(g, r0, r1, [&](int64_t patch, int64_t input, int lo, int hi) {
    float* dst = col + patch;
    if (input < 0) {
      std::memset(dst, 0, rowBytes);
      return;
    }
    const size_t tap = static_cast<size_t>(g.ci) * sizeof(float);
    if (lo > 0) std::memset(dst, 0, lo * tap);
    std::memcpy(dst + static_cast<int64_t>(lo) * g.ci, x + input, (hi - lo) * tap);
    if (hi < g.kw) std::memset(dst + static_cast<int64_t>(hi) * g.ci, 0, (g.kw - hi) * tap);
  });
}

__attribute__((target_clones("avx2", "default")))
void AddTo(float* dst, const float* src, int64_t count) {
  for (int64_t i = 0; i < count; ++i) dst[i] += src[i];
}

// Adds the patch rows of output pixels [r0, r1) from col [r1 − r0, K] back into dx (the adjoint
// of Im2col; entries in the padding are dropped).
void Col2im(const ConvGeometry& g, const float* col, int64_t r0, int64_t r1, float* dx) {
  ForWindowRows(g, r0, r1, [&](int64_t patch, int64_t input, int lo, int hi) {
    if (input >= 0) AddTo(dx + input, col + patch + static_cast<int64_t>(lo) * g.ci, static_cast<int64_t>(hi - lo) * g.ci);
  });
}

// Whether the patch matrix is x itself (1×1 kernel, stride 1, no padding).
bool PatchesAreInput(const ConvGeometry& g) {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.ho == g.h && g.wo == g.w;
}

// Splits the batch into at most `threads` contiguous image ranges and runs part(i, first, end).
template <class Part>
void ForImageRanges(int n, int threads, const Part& part) {
  const int parts = std::max(1, std::min(threads, n));
  Pool().Run(parts, [&](int i) {
    const int first = static_cast<int>(static_cast<int64_t>(n) * i / parts);
    const int end = static_cast<int>(static_cast<int64_t>(n) * (i + 1) / parts);
    part(i, first, end);
  });
}

// One scratch buffer per part, kept between calls (the JS thread makes one call at a time).
float* Scratch(int part, size_t floats) {
  static std::vector<std::vector<float>>* buffers = new std::vector<std::vector<float>>();
  if (buffers->size() <= static_cast<size_t>(part)) buffers->resize(part + 1);
  std::vector<float>& buffer = (*buffers)[part];
  if (buffer.size() < floats) buffer.resize(floats);
  return buffer.data();
}

}  // namespace

void Conv2dForward(const ConvGeometry& g, const float* x, const float* w, float* y, int threads) {
  const int64_t k = static_cast<int64_t>(g.kh) * g.kw * g.ci;
  const int64_t pixels = static_cast<int64_t>(g.ho) * g.wo;
  const int64_t chunk = ChunkRows(g);
  std::vector<float*> scratch(std::max(1, std::min(threads, g.n)));
  for (size_t i = 0; i < scratch.size(); ++i) scratch[i] = PatchesAreInput(g) ? nullptr : Scratch(static_cast<int>(i), chunk * k);
  ForImageRanges(g.n, threads, [&](int part, int first, int end) {
    for (int64_t r0 = first * pixels, stop = end * pixels; r0 < stop; r0 += chunk) {
      const int64_t r1 = std::min(stop, r0 + chunk);
      const float* patches = x + r0 * k;
      if (scratch[part] != nullptr) {
        Im2col(g, x, r0, r1, scratch[part]);
        patches = scratch[part];
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(r1 - r0), g.co, static_cast<int>(k), 1.0f,
                  patches, static_cast<int>(k), w, g.co, 0.0f, y + r0 * g.co, g.co);
    }
  });
}

// dx by col2im: dP = dy · Wᵀ per chunk, added back into dx (any stride).
static void InputGradByCol2im(const ConvGeometry& g, const float* dy, const float* w, float* dx, int threads) {
  const int64_t k = static_cast<int64_t>(g.kh) * g.kw * g.ci;
  const int64_t pixels = static_cast<int64_t>(g.ho) * g.wo;
  const int64_t imageFloats = static_cast<int64_t>(g.h) * g.w * g.ci;
  const int64_t chunk = ChunkRows(g);
  const bool direct = PatchesAreInput(g);
  std::vector<float*> scratch(std::max(1, std::min(threads, g.n)));
  for (size_t i = 0; i < scratch.size(); ++i) scratch[i] = direct ? nullptr : Scratch(static_cast<int>(i), chunk * k);
  ForImageRanges(g.n, threads, [&](int part, int first, int end) {
    if (direct) {  // dx = dy · Wᵀ in one product
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>((end - first) * pixels), static_cast<int>(k), g.co, 1.0f,
                  dy + first * pixels * g.co, g.co, w, g.co, 0.0f, dx + first * imageFloats, static_cast<int>(k));
      return;
    }
    std::memset(dx + first * imageFloats, 0, static_cast<size_t>((end - first) * imageFloats) * sizeof(float));
    for (int64_t r0 = first * pixels, stop = end * pixels; r0 < stop; r0 += chunk) {
      const int64_t r1 = std::min(stop, r0 + chunk);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(r1 - r0), static_cast<int>(k), g.co, 1.0f,
                  dy + r0 * g.co, g.co, w, g.co, 0.0f, scratch[part], static_cast<int>(k));
      Col2im(g, scratch[part], r0, r1, dx);
    }
  });
}

// Whether dx is the stride-1 "full" convolution of dy with the filter rotated 180° and its
// channels swapped: a forward convolution with K = KH·KW·Co and no scatter-add, against col2im's
// product with K = Co. Needs stride 1 and paddings below the kernel size. Measured (`npx tsx
// bench/conv-step.ts kernels 2`, batch 64, col2im → full): ResNet's 3×3 layers with 20, 40 and
// 80 output channels 8.7 → 5.8, 5.4 → 4.0 and 4.3 → 3.7 ms, 160 a tie (4.1 → 4.2); AlexNet's
// 128- and 256-channel layers lost (11.3 → 14.5, 3.1 → 4.5 ms: their wide Co already suits
// col2im's product, and valid padding makes the full convolution larger). Under 8 input
// channels the full convolution's output is too thin for an efficient product.
static bool InputGradByFullConv(const ConvGeometry& g) {
  return g.sh == 1 && g.sw == 1 && g.pt <= g.kh - 1 && g.pl <= g.kw - 1 && g.ci >= 8 && g.co <= 96;
}

void Conv2dInputGrad(const ConvGeometry& g, const float* dy, const float* w, float* dx, int threads) {
  if (!InputGradByFullConv(g)) {
    InputGradByCol2im(g, dy, w, dx, threads);
    return;
  }
  // rotated[a][b][o][c] = w[KH − 1 − a][KW − 1 − b][c][o]
  std::vector<float> rotated(static_cast<size_t>(g.kh) * g.kw * g.ci * g.co);
  for (int a = 0; a < g.kh; ++a) {
    for (int b = 0; b < g.kw; ++b) {
      const float* tap = w + ((static_cast<int64_t>(g.kh - 1 - a) * g.kw + (g.kw - 1 - b)) * g.ci) * g.co;
      float* out = rotated.data() + (static_cast<int64_t>(a) * g.kw + b) * g.co * g.ci;
      for (int c = 0; c < g.ci; ++c) {
        for (int o = 0; o < g.co; ++o) out[static_cast<int64_t>(o) * g.ci + c] = tap[static_cast<int64_t>(c) * g.co + o];
      }
    }
  }
  const ConvGeometry full{g.n, g.ho, g.wo, g.co, g.kh, g.kw, 1, 1, g.kh - 1 - g.pt, g.kw - 1 - g.pl, g.h, g.w, g.ci};
  Conv2dForward(full, dy, rotated.data(), dx, threads);
}

void Conv2dFilterGrad(const ConvGeometry& g, const float* x, const float* dy, float* dw, int threads) {
  const int64_t k = static_cast<int64_t>(g.kh) * g.kw * g.ci;
  const int64_t pixels = static_cast<int64_t>(g.ho) * g.wo;
  const int64_t chunk = ChunkRows(g);
  const bool direct = PatchesAreInput(g);
  const int parts = std::max(1, std::min(threads, g.n));
  // Part 0 accumulates into dw itself, the others into their own partial sums, added at the end.
  std::vector<float*> scratch(parts), partial(parts);
  for (int i = 0; i < parts; ++i) {
    float* buffer = Scratch(i, (direct ? 0 : chunk * k) + (i == 0 ? 0 : k * g.co));
    scratch[i] = direct ? nullptr : buffer;
    partial[i] = i == 0 ? dw : buffer + (direct ? 0 : chunk * k);
  }
  ForImageRanges(g.n, threads, [&](int part, int first, int end) {
    float beta = 0.0f;
    for (int64_t r0 = first * pixels, stop = end * pixels; r0 < stop; r0 += chunk) {
      const int64_t r1 = std::min(stop, r0 + chunk);
      const float* patches = x + r0 * k;
      if (!direct) {
        Im2col(g, x, r0, r1, scratch[part]);
        patches = scratch[part];
      }
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(k), g.co, static_cast<int>(r1 - r0), 1.0f,
                  patches, static_cast<int>(k), dy + r0 * g.co, g.co, beta, partial[part], g.co);
      beta = 1.0f;
    }
    if (beta == 0.0f) std::memset(partial[part], 0, static_cast<size_t>(k * g.co) * sizeof(float));
  });
  for (int i = 1; i < parts; ++i) AddTo(dw, partial[i], k * g.co);
}

}  // namespace ticketlab
