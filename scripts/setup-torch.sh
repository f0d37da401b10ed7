#!/usr/bin/env bash
# Installs libtorch for the kconform-torch backend: the pinned `torch` wheel from
# PyPI (--no-deps), plus only the shared libraries libtorch_cpu.so needs at load
# time (its DT_NEEDED libcudart.so.13 and libcupti.so.13, found through its
# RUNPATH $ORIGIN/../../nvidia/cu13/lib), into the kconform cache outside the
# checkout. Prints the libtorch directory (the `torch` package dir holding lib/
# and include/) on its last line; use it as LIBTORCH for the build.
#
# Idempotent: a finished install carries a .complete stamp and a rerun only
# prints its path. Concurrent runs serialize on a lock.
#
# KCONFORM_LIBTORCH=<dir> uses an existing libtorch as is and installs nothing
# (GPU machines with torch 2.11.0+cu130 preinstalled and no network).
#
# The PyPI wheel is the CUDA 13.0 build. The CUDA-only libraries in it
# (libtorch_cuda*.so, libc10_cuda.so, ...) need cuBLAS, cuDNN, NCCL and more,
# which are not installed, so they are removed: the install is CPU-only, and
# "lib/libtorch_cuda.so exists" means "this libtorch can use CUDA" to the build.
#
# Measured on the 2-core dev machine (fresh cache, PyPI reachable):
#   download  543 MB (torch 530.6 MB + cupti 10.7 MB + cudart 2.2 MB)
#   installed 698 MB (lib 433 MB, include 62 MB, Python files ~150 MB,
#             nvidia 51 MB); 1.15 GB before the CUDA-only libraries are removed
#   time      15-17 s (download about 8 s); a rerun: 0.00 s
set -euo pipefail

torch_version="2.11.0"
pins=(
  "torch==$torch_version"
  "nvidia-cuda-runtime==13.0.96"   # libcudart.so.13 (cuda-toolkit[cudart]==13.0.2, torch's pin)
  "nvidia-cuda-cupti==13.0.85"     # libcupti.so.13  (cuda-toolkit[cupti]==13.0.2, torch's pin)
)
# Libraries only a CUDA-capable install can load (their CUDA deps are not installed).
cuda_only=(
  libtorch_cuda.so libtorch_cuda_linalg.so libc10_cuda.so libcaffe2_nvrtc.so
  libtorch_nvshmem.so libtorch_python.so
)
layout=1   # bump when the install steps change

if [ -n "${KCONFORM_LIBTORCH:-}" ]; then
  if [ ! -f "$KCONFORM_LIBTORCH/lib/libtorch_cpu.so" ] || [ ! -d "$KCONFORM_LIBTORCH/include" ]; then
    echo "kconform: KCONFORM_LIBTORCH=$KCONFORM_LIBTORCH has no lib/libtorch_cpu.so and include/" >&2
    exit 1
  fi
  echo "$KCONFORM_LIBTORCH"
  exit 0
fi

cache="${KCONFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kconform}"
python="${KCONFORM_PYTHON:-python3}"
key="$(printf '%s\n' "layout=$layout" "${pins[@]}" "${cuda_only[@]}" | sha256sum | cut -c1-16)"
dest="$cache/torch-$key"
if [ -f "$dest/.complete" ]; then
  echo "$dest/torch"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/torch-$key.lock"
flock 9
if [ -f "$dest/.complete" ]; then   # another run finished while we waited
  echo "$dest/torch"
  exit 0
fi
echo "kconform: installing libtorch $torch_version into $dest (first use only)" >&2
partial="$dest.partial"
rm -rf "$dest" "$partial"   # an interrupted earlier install has no .complete stamp
# --python-version pins the wheel tag (the C++ libraries do not depend on it),
# so the install is the same whatever python runs pip.
PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check --no-cache-dir \
  --no-deps --only-binary=:all: --python-version 3.11 \
  --target "$partial" "${pins[@]}" >&2
for lib in "${cuda_only[@]}"; do
  rm -f "$partial/torch/lib/$lib"
done
if [ ! -f "$partial/torch/lib/libtorch_cpu.so" ] || [ ! -f "$partial/nvidia/cu13/lib/libcudart.so.13" ]; then
  echo "kconform: the torch install in $partial is incomplete" >&2
  exit 1
fi
mv "$partial" "$dest"
touch "$dest/.complete"
echo "$dest/torch"
