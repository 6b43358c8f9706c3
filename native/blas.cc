// TicketLab's optional native kernels: N-API bindings to the system BLAS (OpenBLAS from Debian's
// libopenblas-dev) that multiply float32 matrices in place in any typed-array memory, including
// the wasm backend's heap; convolutions built on it; and Adam updates and WSN's top-c window pass in that heap. Built by scripts/build-native.cjs at install time; when it
// is missing, TicketLab uses its wasm kernels (src/backend/native-blas.ts).
#include <node_api.h>
#include <cblas.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "conv.h"
#include "optimizer.h"
#include "pool.h"
#include "top-c.h"

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

// The heap (a Uint8Array over the wasm backend's memory) and the Float64Array of arguments of an
// optimizer call; throws and returns false on a wrong type or count.
bool HeapAndArguments(napi_env env, napi_callback_info info, const char* name, size_t count, uint8_t** heap, size_t* heapBytes,
                      const double** args) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  napi_typedarray_type type;
  size_t length;
  void* data = nullptr;
  napi_value buffer;
  size_t offset;
  if (argc != 2 || napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, nullptr, (std::string(name) + ": expected (heap: Uint8Array, args: Float64Array)").c_str());
    return false;
  }
  *heap = static_cast<uint8_t*>(data);
  *heapBytes = length;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_float64_array || length != count) {
    napi_throw_type_error(env, nullptr, (std::string(name) + ": expected " + std::to_string(count) + " arguments in a Float64Array").c_str());
    return false;
  }
  *args = static_cast<const double*>(data);
  return true;
}

// Checks byte offset `at` of `count` elements of `size` bytes in a heap of `heapBytes`; an
// optional offset of 0 means none (null). Throws a RangeError naming the entry point `fn` and
// the argument when it does not fit.
template <class T>
bool HeapArray(napi_env env, const char* fn, uint8_t* heap, size_t heapBytes, double at, int64_t count, const char* what, bool optional, T** out) {
  if (optional && at == 0) {
    *out = nullptr;
    return true;
  }
  const double end = at + static_cast<double>(count) * sizeof(T);
  if (!(at >= 0) || at != std::floor(at) || static_cast<int64_t>(at) % alignof(T) != 0 || end > static_cast<double>(heapBytes)) {
    char message[160];
    std::snprintf(message, sizeof message, "%s: %s (byte offset %.17g, %lld entries) lies outside the heap or is misaligned", fn, what, at,
                  static_cast<long long>(count));
    napi_throw_range_error(env, nullptr, message);
    return false;
  }
  *out = reinterpret_cast<T*>(heap + static_cast<int64_t>(at));
  return true;
}

// The `count` float32 arrays of n entries at byte offsets args[first …] (names for errors).
bool FloatArrays(napi_env env, const char* fn, uint8_t* heap, size_t heapBytes, const double* args, int first, int count, int64_t n,
                 const char* const* names, float** out) {
  for (int i = 0; i < count; ++i) {
    if (!HeapArray(env, fn, heap, heapBytes, args[first + i], n, names[i], false, &out[i])) return false;
  }
  return true;
}

// An update call's heap, its `count` arguments and the entry count at args[countAt] (a
// non-negative integer), or false with a JS exception pending.
struct UpdateCall {
  uint8_t* heap;
  size_t bytes;
  const double* args;
  int64_t n;
};

bool ParseUpdateCall(napi_env env, napi_callback_info info, const char* name, size_t count, size_t countAt, UpdateCall* call) {
  if (!HeapAndArguments(env, info, name, count, &call->heap, &call->bytes, &call->args)) return false;
  const double n = call->args[countAt];
  if (!(n >= 0) || n != std::floor(n) || n > 9007199254740991.0) {
    napi_throw_range_error(env, nullptr, (std::string(name) + ": the entry count must be a non-negative integer").c_str());
    return false;
  }
  call->n = static_cast<int64_t>(n);
  return true;
}

// The Adam hyper-parameters at args[first ...]: wd, β1, 1−β1, β2, 1−β2, ε.
ticketlab::AdamHyper Hyper(const double* args, bool decay, int first) {
  return {decay, static_cast<float>(args[first]), static_cast<float>(args[first + 1]), static_cast<float>(args[first + 2]),
          static_cast<float>(args[first + 3]), static_cast<float>(args[first + 4]), static_cast<float>(args[first + 5])};
}

// adam(heap, [w, g, m, v, outW, outM, outV, mask, n, decay, threads, wd, β1, 1−β1, β2, 1−β2, ε,
// 1/c2, stepSize]): pointers are byte offsets in `heap`, mask 0 for none.
napi_value Adam(napi_env env, napi_callback_info info) {
  UpdateCall c;
  if (!ParseUpdateCall(env, info, "adam", 19, 8, &c)) return nullptr;
  const auto [heap, bytes, args, n] = c;
  const char* const names[] = {"w", "g", "m", "v", "outW", "outM", "outV"};
  float* p[7];
  if (!FloatArrays(env, "adam", heap, bytes, args, 0, 7, n, names, p)) return nullptr;
  ticketlab::AdamArrays a = {p[0], p[1], p[2], p[3], p[4], p[5], p[6], nullptr};
  if (!HeapArray(env, "adam", heap, bytes, args[7], n, "mask", true, &a.mask)) return nullptr;
  const ticketlab::AdamStep step = {static_cast<float>(args[17]), static_cast<float>(args[18])};
  ticketlab::AdamUpdate(a, n, Hyper(args, args[9] != 0, 11), step, static_cast<int>(args[10]));
  return nullptr;
}

// adamTopC(heap, [dy, s, w, mW, vW, mS, vS, outW, outMW, outVW, outS, outMS, outVS, maskW, maskS,
// n, decay, tauKey, signFloorKey, threads, wd, β1, 1−β1, β2, 1−β2, ε, 1/c2 of W, stepSize of W,
// 1/c2 of s, stepSize of s]).
napi_value AdamTopC(napi_env env, napi_callback_info info) {
  UpdateCall c;
  if (!ParseUpdateCall(env, info, "adamTopC", 30, 15, &c)) return nullptr;
  const auto [heap, bytes, args, n] = c;
  const char* const names[] = {"dy", "s", "w", "mW", "vW", "mS", "vS", "outW", "outMW", "outVW", "outS", "outMS", "outVS"};
  float* p[13];
  if (!FloatArrays(env, "adamTopC", heap, bytes, args, 0, 13, n, names, p)) return nullptr;
  ticketlab::AdamTopCArrays a = {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], nullptr, nullptr, 0, 0, {}, {}};
  if (!HeapArray(env, "adamTopC", heap, bytes, args[13], n, "maskW", true, &a.maskW)) return nullptr;
  if (!HeapArray(env, "adamTopC", heap, bytes, args[14], n, "maskS", true, &a.maskS)) return nullptr;
  a.tauKey = static_cast<int32_t>(args[17]);
  a.signFloorKey = static_cast<int32_t>(args[18]);
  a.stepW = {static_cast<float>(args[26]), static_cast<float>(args[27])};
  a.stepS = {static_cast<float>(args[28]), static_cast<float>(args[29])};
  ticketlab::AdamTopCUpdate(a, n, Hyper(args, args[16] != 0, 20), static_cast<int>(args[19]));
  return nullptr;
}

// topCWindow(heap, [s, w, out, n, lo, hi, capacity, keys, index, counts, threads]): the top-c
// window pass of top-c.h over byte offsets in `heap`; w 0 for the 0/1 mask.
napi_value TopCWindow(napi_env env, napi_callback_info info) {
  UpdateCall c;
  if (!ParseUpdateCall(env, info, "topCWindow", 11, 3, &c)) return nullptr;
  const auto [heap, bytes, args, n] = c;
  const double capacity = args[6];
  if (!(args[4] >= 0) || !(args[5] >= 0) || args[4] > 2147483647.0 || args[5] > 2147483647.0 || !(capacity >= 0) || capacity > 2147483647.0 ||
      n > 2147483647) {
    napi_throw_range_error(env, nullptr, "topCWindow: lo, hi and capacity must be int32 keys ≥ 0, and n at most 2^31 − 1");
    return nullptr;
  }
  const int64_t cap = static_cast<int64_t>(capacity);
  ticketlab::TopCWindowArrays a{};
  const int32_t* s = nullptr;
  if (!HeapArray(env, "topCWindow", heap, bytes, args[0], n, "s", false, &s) || !HeapArray(env, "topCWindow", heap, bytes, args[1], n, "w", true, &a.w) ||
      !HeapArray(env, "topCWindow", heap, bytes, args[2], n, "out", false, &a.out) ||
      !HeapArray(env, "topCWindow", heap, bytes, args[7], cap, "keys", false, &a.keys) ||
      !HeapArray(env, "topCWindow", heap, bytes, args[8], cap, "index", false, &a.index) ||
      !HeapArray(env, "topCWindow", heap, bytes, args[9], 2, "counts", false, &a.counts)) {
    return nullptr;
  }
  a.s = s;
  ticketlab::TopCWindow(a, n, static_cast<int32_t>(args[4]), static_cast<int32_t>(args[5]), static_cast<int32_t>(cap), static_cast<int>(args[10]));
  return nullptr;
}

napi_value Simd(napi_env env, napi_callback_info) {
  napi_value out;
  const char* name = ticketlab::AdamSimd();
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &out);
  return out;
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
  napi_create_function(env, "adam", NAPI_AUTO_LENGTH, Adam, nullptr, &fn);
  napi_set_named_property(env, exports, "adam", fn);
  napi_create_function(env, "adamTopC", NAPI_AUTO_LENGTH, AdamTopC, nullptr, &fn);
  napi_set_named_property(env, exports, "adamTopC", fn);
  napi_create_function(env, "topCWindow", NAPI_AUTO_LENGTH, TopCWindow, nullptr, &fn);
  napi_set_named_property(env, exports, "topCWindow", fn);
  napi_create_function(env, "simd", NAPI_AUTO_LENGTH, Simd, nullptr, &fn);
  napi_set_named_property(env, exports, "simd", fn);
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, SetThreads, nullptr, &fn);
  napi_set_named_property(env, exports, "setThreads", fn);
  return exports;
}
