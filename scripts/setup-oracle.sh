#!/usr/bin/env bash
# Installs the real-Keras oracle (pinned keras + jax) into a virtualenv in the
# kconform cache, outside the checkout. Idempotent: a second run with the same
# requirements is a no-op. Prints the venv's python path on its last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/backends/keras/adapter/requirements.txt"
cache="${KCONFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kconform}"
python="${KCONFORM_PYTHON:-python3}"
stamp_key="$( (cat "$req"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)"
venv="$cache/oracle-$stamp_key"
if [ -f "$venv/.complete" ]; then
  echo "$venv/bin/python"
  exit 0
fi
mkdir -p "$cache"
echo "kconform: installing the Keras oracle into $venv (first use only)" >&2
rm -rf "$venv"   # an interrupted earlier install has no .complete stamp
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
touch "$venv/.complete"
echo "$venv/bin/python"
