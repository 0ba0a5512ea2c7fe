#!/usr/bin/env bash
# Sweep overhead: wall time of a sweep of 3 learning rates x 1 seed at max-parallel 1
# (`tunelab sweep --vary lr=0.01,0.003,0.001 --no-scratch --no-probes --wait`) vs the same 3 runs
# started one after the other (`tunelab run --lr X --wait` each), on an embedded stack in-process
# with one worker, through the CLI's verbs. Usage: bench/sweep-overhead.sh [EPOCHS=3]
# [PER_CLASS=1000] [ROUNDS=2]
# Last line: "sweep-overhead: ratio X" = sweep time / time of the 3 runs (sums over the rounds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
if [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
  echo "sweep-overhead: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  exit 1
fi
"$root/tunelab" --version >/dev/null   # builds the jar when needed
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# libgomp's default active waiting collapses training when the cores are shared (bench/README.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export TUNELAB_CONSOLE_LOG_LEVEL="${TUNELAB_CONSOLE_LOG_LEVEL:-ERROR}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.SweepOverheadBenchmark "${1:-3}" "${2:-1000}" "${3:-2}" "$data"
