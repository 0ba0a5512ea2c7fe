#!/usr/bin/env bash
# Table overhead: wall time of `tunelab run --no-scratch --no-probes` (50 epochs on a generated
# 500-row, 10-feature CSV, fine-tuning an mlp), from its workflow's start to its end, vs a bare
# DJL loop of the same 50 epochs in this process (read, split, standardise, train, validate, test).
# Usage: bench/table-overhead.sh [EPOCHS=50] [ROWS=500] [ROUNDS=3]
# Last line: "table-overhead: ratio X" = the workflows' time / the bare loops' (sums over the rounds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/tunelab" --version >/dev/null   # builds the jar when needed
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# libgomp's default active waiting collapses training when the cores are shared (bench/README.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export TUNELAB_CONSOLE_LOG_LEVEL="${TUNELAB_CONSOLE_LOG_LEVEL:-ERROR}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.TableOverheadBenchmark "${1:-50}" "${2:-500}" "${3:-3}"
