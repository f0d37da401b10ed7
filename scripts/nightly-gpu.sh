#!/usr/bin/env bash
# Nightly GPU job: builds kconform with the libtorch backend, runs the whole
# suite on torch:cuda and on the reference backend, writes the reports, and
# compares them with the previous nightly's report.json (new failures, fixed
# cases, tolerance-use drift).
#
#   bash scripts/nightly-gpu.sh [--device cuda|cuda:N|cpu] [--out DIR] [--previous REPORT_JSON]
#
# On a GPU machine with torch 2.11.0+cu130 preinstalled and no network, point
# KCONFORM_LIBTORCH at that install (…/site-packages/torch); elsewhere
# scripts/setup-torch.sh installs the CPU libtorch, and only --device cpu works
# (asking for CUDA without one fails with a clear message, exit 2).
#
# Output: DIR/<UTC timestamp>/{report.json,junit.xml,summary.md,comparison.md};
# DIR/latest names the newest run, which the next night compares against.
# Exit: 0 clean, 1 unexpected failures or new failures since the last night,
# 2 setup or usage error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
device=cuda
out=reports/nightly
previous=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --previous) previous="$2"; shift 2 ;;
    *) echo "nightly-gpu: unknown argument $1" >&2; exit 2 ;;
  esac
done
LIBTORCH="$(bash scripts/setup-torch.sh | tail -n 1)"
export LIBTORCH
cargo build --release --locked -p kconform-cli --features torch
backend=torch
[ "$device" = cpu ] || backend="torch:$device"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dir="$out/$stamp"
run_rc=0
target/release/kconform run --backend "reference,$backend" \
  --expect backends/torch/expected-failures --report-dir "$dir" || run_rc=$?
if [ "$run_rc" -ge 2 ]; then
  exit "$run_rc"
fi
if [ -z "$previous" ] && [ -f "$out/latest" ]; then
  previous="$out/$(cat "$out/latest")/report.json"
fi
cmp_rc=0
if [ -n "$previous" ] && [ -f "$previous" ]; then
  target/release/kconform compare "$previous" "$dir/report.json" --write "$dir/comparison.md" >/dev/null || cmp_rc=$?
  [ "$cmp_rc" -ge 2 ] && exit "$cmp_rc"
  echo "nightly-gpu: compared with $previous: see $dir/comparison.md" >&2
else
  printf '# kconform: comparison with the previous report\n\nNo previous nightly report to compare with.\n' > "$dir/comparison.md"
fi
echo "$stamp" > "$out/latest"
echo "nightly-gpu: reports in $dir" >&2
[ "$run_rc" -eq 0 ] && [ "$cmp_rc" -eq 0 ]
