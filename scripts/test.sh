#!/usr/bin/env bash
# The README's test command: every test of the workspace, with the real-Keras
# oracle live and the libtorch backend on CPU. Installs the oracle (pinned
# keras + jax), the keras:torch oracle and libtorch (torch 2.11.0 from PyPI)
# into the kconform cache outside the checkout on first use; later runs reuse them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python_path="$(bash scripts/setup-oracle.sh | tail -n 1)"
export KCONFORM_KERAS_PYTHON="$python_path"
export KCONFORM_REQUIRE_ORACLE=1
echo "kconform: oracle python: $KCONFORM_KERAS_PYTHON" >&2
LIBTORCH="$(bash scripts/setup-torch.sh | tail -n 1)"
export LIBTORCH
echo "kconform: libtorch: $LIBTORCH" >&2
cargo run --quiet --locked -p kconform-cli -- check
cargo test --workspace --locked
# The Keras-torch random streams live against real Keras on torch (its own
# venv: torch 2.11.0 from PyPI, 5.3 GB, installed once into the cache).
KCONFORM_KERAS_TORCH_PYTHON="$(bash scripts/setup-oracle.sh torch | tail -n 1)"
export KCONFORM_KERAS_TORCH_PYTHON
echo "kconform: keras:torch oracle python: $KCONFORM_KERAS_TORCH_PYTHON" >&2
cargo run --quiet --locked -p kconform-cli -- run --backend keras:torch --filter random::torch::
# The torch backend must agree with real Keras on torch on every case of the
# suite (values, dtypes, exceptions), whatever the JAX goldens say.
cargo run --quiet --locked -p kconform-cli --features torch -- \
  run --backend torch,keras:torch --require-agreement \
  --expect backends/torch/expected-failures --report-dir reports/torch-vs-keras-torch
