// TicketLab's optional native matrix multiply: N-API bindings to the system BLAS (OpenBLAS from
// Debian's libopenblas-dev) that multiply float32 matrices in place in any typed-array memory,
// including the wasm backend's heap. Built by scripts/build-native.cjs at install time; when it
// is missing, TicketLab uses its wasm kernels (src/backend/native-blas.ts).
#include <node_api.h>
#include <cblas.h>
#include <algorithm>
#include <cstdint>

#include "conv.h"
#include "pool.h"

namespace {

float* Data(napi_env env, napi_value value, size_t* floats = nullptr) {
  napi_typedarray_type type;
  size_t length;
  void* data = nullptr;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, nullptr, "sgemm: expected Float32Array arguments");
    return nullptr;
  }
  if (floats != nullptr) *floats = length;
  return static_cast<float*>(data);
}

int32_t Int(napi_env env, napi_value value) {
  int32_t out = 0;
  napi_get_value_int32(env, value, &out);
  return out;
}

// Products smaller than this many multiply-adds run on the calling thread alone. Measured at the
// MLP's [64, 784]·[784, 100] (5 M): splitting it at 2^22 cut the whole MLP step's throughput from
// ~76 k to ~58 k samples/s (the wake-up and the split's smaller blocks cost more than the
// ~60 µs product); AlexNet's dense layers (134 M and more) gain ~10 %.
constexpr double kSplitMultiplyAdds = 1 << 23;

// c [m, n] = op(a) · op(b) on up to `threads` threads: c's rows (or, when it is wider than tall,
// its columns) are cut into contiguous blocks, one one-thread sgemm each.
void ParallelSgemm(const float* a, const float* b, float* c, int m, int n, int k, bool ta, bool tb, int threads) {
  const int lda = ta ? m : k, ldb = tb ? k : n;
  const CBLAS_TRANSPOSE opA = ta ? CblasTrans : CblasNoTrans, opB = tb ? CblasTrans : CblasNoTrans;
  const bool byRows = m >= n;
  const int extent = byRows ? m : n;
  const int parts = static_cast<double>(m) * n * k < kSplitMultiplyAdds ? 1 : std::max(1, std::min(threads, extent / 16));
  ticketlab::Pool().Run(parts, [&](int part) {
    const int first = static_cast<int>(static_cast<int64_t>(extent) * part / parts);
    const int count = static_cast<int>(static_cast<int64_t>(extent) * (part + 1) / parts) - first;
    if (count == 0) return;
    if (byRows) {  // a block of c's rows: those rows of op(a) (a's rows, or its columns when transposed)
      cblas_sgemm(CblasRowMajor, opA, opB, count, n, k, 1.0f, a + (ta ? first : static_cast<int64_t>(first) * lda), lda, b, ldb, 0.0f,
                  c + static_cast<int64_t>(first) * n, n);
    } else {  // a block of c's columns: those columns of op(b) (b's columns, or its rows when transposed)
      cblas_sgemm(CblasRowMajor, opA, opB, m, count, k, 1.0f, a, lda, b + (tb ? static_cast<int64_t>(first) * ldb : first), ldb, 0.0f,
                  c + first, n);
    }
  });
}

// sgemm(a, b, c, m, n, k, transposeA, transposeB[, threads]): c [m, n] = op(a) · op(b),
// row-major, where op(a) is [m, k] (a stored [k, m] when transposed) and op(b) is [k, n] (b
// stored [n, k]); large products on up to `threads` threads (default 1).
napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value args[9];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (argc != 8 && argc != 9) {
    napi_throw_type_error(env, nullptr, "sgemm: expected (a, b, c, m, n, k, transposeA, transposeB[, threads])");
    return nullptr;
  }
  float* a = Data(env, args[0]);
  float* b = Data(env, args[1]);
  float* c = Data(env, args[2]);
  if (a == nullptr || b == nullptr || c == nullptr) return nullptr;
  const int m = Int(env, args[3]), n = Int(env, args[4]), k = Int(env, args[5]);
  const bool ta = Int(env, args[6]) != 0, tb = Int(env, args[7]) != 0;
  ParallelSgemm(a, b, c, m, n, k, ta, tb, argc == 9 ? Int(env, args[8]) : 1);
  return nullptr;
}

// Reads the 13 geometry fields (n, h, w, ci, kh, kw, sh, sw, pt, pl, ho, wo, co) from an Int32Array.
bool Geometry(napi_env env, napi_value value, ticketlab::ConvGeometry* g) {
  napi_typedarray_type type;
  size_t length;
  void* data = nullptr;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_int32_array || length != 13) {
    napi_throw_type_error(env, nullptr, "conv2d: expected the geometry as an Int32Array of 13 fields");
    return false;
  }
  const int32_t* f = static_cast<const int32_t*>(data);
  *g = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12]};
  for (int i = 0; i < 13; ++i) {
    if (f[i] < (i >= 8 && i <= 9 ? 0 : 1)) {
      napi_throw_range_error(env, nullptr, "conv2d: geometry fields must be positive (paddings non-negative)");
      return false;
    }
  }
  return true;
}

using ConvFunction = void (*)(const ticketlab::ConvGeometry&, const float*, const float*, float*, int);

// conv2d*(geometry, a, b, out, threads): one of the three convolutions in conv.h.
template <ConvFunction kFunction>
napi_value Conv(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (argc != 5) {
    napi_throw_type_error(env, nullptr, "conv2d: expected (geometry, a, b, out, threads)");
    return nullptr;
  }
  ticketlab::ConvGeometry g;
  if (!Geometry(env, args[0], &g)) return nullptr;
  size_t sizes[3];
  float* a = Data(env, args[1], &sizes[0]);
  float* b = Data(env, args[2], &sizes[1]);
  float* out = Data(env, args[3], &sizes[2]);
  if (a == nullptr || b == nullptr || out == nullptr) return nullptr;
  // Operand sizes in the order (a, b, out) of each function: x, w, y; dy, w, dx; x, dy, dw.
  const size_t x = size_t(g.n) * g.h * g.w * g.ci, w = size_t(g.kh) * g.kw * g.ci * g.co, y = size_t(g.n) * g.ho * g.wo * g.co;
  const size_t expected[3] = {kFunction == ticketlab::Conv2dInputGrad ? y : x, kFunction == ticketlab::Conv2dFilterGrad ? y : w,
                              kFunction == ticketlab::Conv2dForward ? y : kFunction == ticketlab::Conv2dInputGrad ? x : w};
  for (int i = 0; i < 3; ++i) {
    if (sizes[i] < expected[i]) {
      napi_throw_range_error(env, nullptr, "conv2d: an operand is smaller than the geometry requires");
      return nullptr;
    }
  }
  kFunction(g, a, b, out, Int(env, args[4]));
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  openblas_set_num_threads(Int(env, args[0]));
  return nullptr;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "sgemm", NAPI_AUTO_LENGTH, Sgemm, nullptr, &fn);
  napi_set_named_property(env, exports, "sgemm", fn);
  napi_create_function(env, "conv2dForward", NAPI_AUTO_LENGTH, Conv<ticketlab::Conv2dForward>, nullptr, &fn);
  napi_set_named_property(env, exports, "conv2dForward", fn);
  napi_create_function(env, "conv2dInputGrad", NAPI_AUTO_LENGTH, Conv<ticketlab::Conv2dInputGrad>, nullptr, &fn);
  napi_set_named_property(env, exports, "conv2dInputGrad", fn);
  napi_create_function(env, "conv2dFilterGrad", NAPI_AUTO_LENGTH, Conv<ticketlab::Conv2dFilterGrad>, nullptr, &fn);
  napi_set_named_property(env, exports, "conv2dFilterGrad", fn);
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, SetThreads, nullptr, &fn);
  napi_set_named_property(env, exports, "setThreads", fn);
  return exports;
}
