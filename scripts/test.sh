#!/usr/bin/env bash
# The README's test command: every test of the workspace, with the real-Keras
# oracle live and the libtorch backend on CPU. Installs the oracle (pinned
# keras + jax) and libtorch (torch 2.11.0 from PyPI) into the kconform cache
# outside the checkout on first use; later runs reuse them.
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
