#!/usr/bin/env bash
# Installs the real-Keras oracle (pinned keras + jax) into a virtualenv in the
# kconform cache, outside the checkout. Idempotent: a second run with the same
# requirements is a no-op. Prints the venv's python path on its last line.
#
#   bash scripts/setup-oracle.sh          # keras:jax (and keras:numpy): ~30 s, 688 MB
#   bash scripts/setup-oracle.sh torch    # keras:torch as well: torch 2.11.0 from PyPI,
#                                         # ~2.6 GB download, 5.3 GB, a few minutes
# Point KCONFORM_KERAS_PYTHON (or KCONFORM_KERAS_TORCH_PYTHON) at the printed path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flavor="${1:-jax}"
case "$flavor" in
  jax) req="$root/backends/keras/adapter/requirements.txt"; prefix=oracle ;;
  torch) req="$root/backends/keras/adapter/requirements-torch.txt"; prefix=oracle-torch ;;
  *) echo "usage: $0 [jax|torch]" >&2; exit 2 ;;
esac
base="$root/backends/keras/adapter/requirements.txt"
cache="${KCONFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kconform}"
python="${KCONFORM_PYTHON:-python3}"
stamp_key="$( (cat "$req" "$base"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)"
if [ "$flavor" = jax ]; then
  # The jax venv's key predates the torch flavor: keep it (the base file once).
  stamp_key="$( (cat "$req"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)"
fi
venv="$cache/$prefix-$stamp_key"
if [ -f "$venv/.complete" ]; then
  echo "$venv/bin/python"
  exit 0
fi
mkdir -p "$cache"
echo "kconform: installing the Keras oracle into $venv (first use only)" >&2
rm -rf "$venv"   # an interrupted earlier install has no .complete stamp
"$python" -m venv "$venv"
(cd "$(dirname "$req")" && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2)
touch "$venv/.complete"
echo "$venv/bin/python"
