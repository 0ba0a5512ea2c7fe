#!/usr/bin/env bash
# Checkpoint upload: ObjectStore.put of real cnn and resnet18 checkpoints (from EpochTrainer) to
# the embedded S3 endpoint vs writing the same bytes to a local file with fsync, REPS times each,
# alternating, medians. Usage: bench/checkpoint-upload.sh [REPS=20]
# Last line: "checkpoint-upload: ratio X" = S3 put time / local write+fsync time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
if [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
  echo "checkpoint-upload: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  exit 1
fi
"$root/tunelab" --version >/dev/null   # builds the jar when needed
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
echo "temp dir file system: $(df -hT "${TMPDIR:-/tmp}" | awk 'NR==2 {print $1, $2}')"
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.CheckpointUploadBenchmark "${1:-20}" "$data"
