#!/usr/bin/env bash
# Durability overhead: wall time of a fine-tune-only experiment without the diagnosis probes
# (what `tunelab run --no-scratch --no-probes` runs: ingest, one Temporal activity and one S3
# checkpoint per epoch, test evaluation, diagnosis from the curves, report)
# on an embedded stack in-process, vs a bare DJL loop training the same network from the same
# pretrained backbone for the same epochs on the same images (no Temporal, no S3, no
# checkpoints). Usage: bench/durability-overhead.sh [EPOCHS PER_CLASS ROUNDS]
# Without arguments it measures two configurations, each in its own JVM: small (3 epochs, 1,000
# images per class, 2 rounds: 3,500 training images, where fixed costs show) and large (5 epochs,
# 3,000 per class, 6 rounds: 10,500 training images); with arguments, that one configuration.
# Per configuration: "durability-overhead EPOCHSxPER_CLASS: ratio X" = tunelab time / bare time
# (sums over the rounds); the last line, "durability-overhead: ratio X", repeats the last one.
# Before it, for information, one run with the probes (TUNELAB_BENCH_WITH_PROBES=0 skips it);
# an untimed warm-up round of both sides comes first (TUNELAB_BENCH_WARMUP=0 skips it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
if [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
  echo "durability-overhead: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  exit 1
fi
"$root/tunelab" --version >/dev/null   # builds the jar when needed
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# libgomp's default active waiting collapses 2-thread training when the cores are shared
# (see bench/README.md); the same policy applies to both sides.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
if [ $# -gt 0 ]; then
  configs=("${1:-5} ${2:-3000} ${3:-6}")
else
  configs=("3 1000 2" "5 3000 6")
fi
summary=()
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for config in "${configs[@]}"; do
  read -r epochs per_class rounds <<<"$config"
  echo "=== ${epochs} epochs, ${per_class} images per class, ${rounds} rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
  java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
    io.tunelab.bench.DurabilityOverheadBenchmark "$epochs" "$per_class" "$rounds" "$data" | tee "$log"
  ratio="$(sed -n 's/^durability-overhead: ratio //p' "$log")"
  [ -n "$ratio" ] || { echo "durability-overhead: the ${epochs}x${per_class} run gave no ratio" >&2; exit 1; }
  summary+=("durability-overhead ${epochs}x${per_class}: ratio $ratio (load after: $(cut -d' ' -f1-3 /proc/loadavg))")
done
printf '%s\n' "${summary[@]}"
echo "durability-overhead: ratio $ratio"
