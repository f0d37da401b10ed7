// What tch 0.24 does not expose: libtorch's TF32 switches, its warning
// handler, and Python-style "wrapped number" scalar tensors (how PyTorch passes
// a Python int/float/bool to an op: a 0-d CPU tensor that does not take part
// in dtype promotion as a tensor would). Compiled by build.rs against the libtorch headers. No C++
// exception crosses the C ABI: every entry point catches and reports failure.
#include <ATen/Context.h>
#include <ATen/ScalarOps.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

namespace {
// Drops libtorch's TORCH_WARN messages (Python shows them as UserWarnings;
// here they would only clutter test output).
class QuietHandler : public c10::WarningHandler {
 public:
  void process(const c10::Warning & /*warning*/) override {}
};
QuietHandler quiet_handler;
}  // namespace

extern "C" {

// Installs the quiet warning handler for the calling thread (libtorch keeps one
// handler per thread).
void kconform_quiet_warnings() {
  c10::WarningUtils::set_warning_handler(&quiet_handler);
}

// Allows or forbids TF32 in cuBLAS matmuls and cuDNN convolutions.
// Returns false if libtorch threw.
bool kconform_set_allow_tf32(bool allow) {
  try {
    at::globalContext().setAllowTF32CuBLAS(allow);
    at::globalContext().setAllowTF32CuDNN(allow);
    return true;
  } catch (...) {
    return false;
  }
}

// Whether cuBLAS matmuls may use TF32 (0 or 1), or -1 if libtorch threw.
int kconform_allow_tf32_cublas() {
  try {
    return at::globalContext().allowTF32CuBLAS() ? 1 : 0;
  } catch (...) {
    return -1;
  }
}

// Whether cuDNN may use TF32 (0 or 1), or -1 if libtorch threw.
int kconform_allow_tf32_cudnn() {
  try {
    return at::globalContext().allowTF32CuDNN() ? 1 : 0;
  } catch (...) {
    return -1;
  }
}

// A new heap `at::Tensor` (the handle tch's `Tensor::from_ptr` takes) holding a
// wrapped-number scalar: kind 0 = bool (from i), 1 = int64 (from i), 2 = double
// (from f). Returns nullptr if libtorch threw.
void *kconform_wrapped_number(int kind, int64_t i, double f) {
  try {
    c10::Scalar s = kind == 0 ? c10::Scalar(i != 0) : kind == 1 ? c10::Scalar(i) : c10::Scalar(f);
    at::Tensor t = at::scalar_to_tensor(s);
    t.unsafeGetTensorImpl()->set_wrapped_number(true);
    return new at::Tensor(std::move(t));
  } catch (...) {
    return nullptr;
  }
}

}  // extern "C"
