#!/usr/bin/env bash
# Probe cost: wall time of `tunelab run --wait` with the diagnosis probes (the default) vs the
# same run with --no-probes, on an embedded stack in-process with one worker, through the CLI's
# verbs; the probe activity's own time for information. Usage: bench/probe-cost.sh
# [PER_CLASS=430] [EPOCHS=5] [ROUNDS=1] [ARMS=both|finetune] (the defaults: the demo's size).
# Last line: "probe-cost: ratio X" = time with probes / time without (sums over the rounds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
if [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
  echo "probe-cost: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  exit 1
fi
# TUNELAB_BENCH_JAR: time another build's CLI jar (an earlier commit's, for a before figure).
jar="${TUNELAB_BENCH_JAR:-$root/cli/target/tunelab.jar}"
[ -n "${TUNELAB_BENCH_JAR:-}" ] || "$root/tunelab" --version >/dev/null   # builds the jar when needed
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# libgomp's default active waiting collapses training when the cores are shared (bench/README.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export TUNELAB_CONSOLE_LOG_LEVEL="${TUNELAB_CONSOLE_LOG_LEVEL:-ERROR}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "jar: $jar"
echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.ProbeCostBenchmark "${1:-430}" "${2:-5}" "${3:-1}" "${4:-both}" "$data"
