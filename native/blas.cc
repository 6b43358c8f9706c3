// TicketLab's optional native matrix multiply: N-API bindings to the system BLAS (OpenBLAS from
// Debian's libopenblas-dev) that multiply float32 matrices in place in any typed-array memory,
// including the wasm backend's heap. Built by scripts/build-native.cjs at install time; when it
// is missing, TicketLab uses its wasm kernels (src/backend/native-blas.ts).
#include <node_api.h>
#include <cblas.h>
#include <cstdint>

namespace {

float* Data(napi_env env, napi_value value) {
  napi_typedarray_type type;
  size_t length;
  void* data = nullptr;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, nullptr, "sgemm: expected Float32Array arguments");
    return nullptr;
  }
  return static_cast<float*>(data);
}

int32_t Int(napi_env env, napi_value value) {
  int32_t out = 0;
  napi_get_value_int32(env, value, &out);
  return out;
}

// sgemm(a, b, c, m, n, k, transposeA, transposeB): c [m, n] = op(a) · op(b), row-major, where
// op(a) is [m, k] (a stored [k, m] when transposed) and op(b) is [k, n] (b stored [n, k]).
napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (argc != 8) {
    napi_throw_type_error(env, nullptr, "sgemm: expected (a, b, c, m, n, k, transposeA, transposeB)");
    return nullptr;
  }
  float* a = Data(env, args[0]);
  float* b = Data(env, args[1]);
  float* c = Data(env, args[2]);
  if (a == nullptr || b == nullptr || c == nullptr) return nullptr;
  const int m = Int(env, args[3]), n = Int(env, args[4]), k = Int(env, args[5]);
  const bool ta = Int(env, args[6]) != 0, tb = Int(env, args[7]) != 0;
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f,
              a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
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
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, SetThreads, nullptr, &fn);
  napi_set_named_property(env, exports, "setThreads", fn);
  return exports;
}
