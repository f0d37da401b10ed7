// What tch 0.24 does not expose: libtorch's TF32 switches, its warning
// handler, Python-style "wrapped number" scalar tensors (how PyTorch passes
// a Python int/float/bool to an op: a 0-d CPU tensor that does not take part
// in dtype promotion as a tensor would), and calling an ATen operator with
// arguments tch leaves out (tch drops defaulted `Scalar` arguments such as
// `leaky_relu`'s `negative_slope`). Compiled by build.rs against the libtorch headers. No C++
// exception crosses the C ABI: every entry point catches and reports failure.
#include <ATen/Context.h>
#include <ATen/ScalarOps.h>
#include <ATen/core/Tensor.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <c10/util/Exception.h>

#include <cstring>
#include <stdexcept>
#include <string>

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

// One argument of `kconform_call_op`: tag 0 = None, 1 = bool (from i),
// 2 = int (i), 3 = float (f), 4 = tensor (p, an `at::Tensor*`).
struct KconformArg {
  int32_t tag;
  int64_t i;
  double f;
  const void *p;
};

// Calls the ATen operator `name.overload` (e.g. "aten::leaky_relu", "")
// through the dispatcher, as PyTorch's Python bindings do, with `args` as its
// leading arguments and the schema's defaults for the rest. Returns a new heap
// `at::Tensor` (its first output), or nullptr with `*error` set to a malloc'd
// copy of the exception's message (the caller frees it).
void *kconform_call_op(const char *name, const char *overload, const KconformArg *args, int nargs,
                       char **error) {
  *error = nullptr;
  try {
    auto op = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload);
    const auto &params = op.schema().arguments();
    if (nargs < 0 || static_cast<size_t>(nargs) > params.size()) {
      throw std::invalid_argument(std::string("kconform_call_op: too many arguments for ") + name);
    }
    torch::jit::Stack stack;
    for (int k = 0; k < nargs; ++k) {
      const KconformArg &a = args[k];
      switch (a.tag) {
        case 0: stack.emplace_back(); break;
        case 1: stack.emplace_back(a.i != 0); break;
        case 2: stack.emplace_back(a.i); break;
        case 3: stack.emplace_back(a.f); break;
        case 4: stack.emplace_back(*static_cast<const at::Tensor *>(a.p)); break;
        default: throw std::invalid_argument("kconform_call_op: bad argument tag");
      }
    }
    for (size_t k = nargs; k < params.size(); ++k) {
      if (!params[k].default_value()) {
        throw std::invalid_argument(std::string("kconform_call_op: missing argument ") +
                                    params[k].name());
      }
      stack.push_back(*params[k].default_value());
    }
    op.callBoxed(stack);
    if (stack.empty() || !stack[0].isTensor()) {
      throw std::runtime_error(std::string("kconform_call_op: no tensor from ") + name);
    }
    return new at::Tensor(stack[0].toTensor());
  } catch (const std::exception &e) {
    *error = strdup(e.what());
    return nullptr;
  } catch (...) {
    *error = strdup("kconform_call_op: unknown C++ exception");
    return nullptr;
  }
}

}  // extern "C"
