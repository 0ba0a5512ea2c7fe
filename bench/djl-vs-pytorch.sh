#!/usr/bin/env bash
# DJL vs PyTorch training throughput on tunelab's "cnn" (Network.build), same data (the first N
# Fashion-MNIST training images, read from the idx files), batch 64, Adam, 2 threads, one warm-up
# epoch then TIMED timed epochs; DJL and Python run back to back, ROUNDS times interleaved. The
# DJL side is the product's training path (EpochTrainer, epochs continuing from the live model);
# a plain DJL loop runs beside it for information.
# Usage: bench/djl-vs-pytorch.sh [N=12800] [TIMED=2] [ROUNDS=2]
# Last line: "djl-vs-pytorch: ratio X" = EpochTrainer images/s / PyTorch images/s (means of all
# timed epochs); the line before it gives the plain loop's ratio. Installs nothing: it stops with
# instructions when something is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-12800}" timed="${2:-2}" rounds="${3:-2}"
threads="${TUNELAB_BENCH_THREADS:-2}"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
python=/usr/bin/python3   # Debian's python: the 'python3' on PATH may be another one without torch

missing=0
if [ ! -r "$data/train-images-idx3-ubyte.gz" ] || [ ! -r "$data/train-labels-idx1-ubyte.gz" ]; then
  echo "djl-vs-pytorch: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  missing=1
fi
bench=djl-vs-pytorch
# shellcheck source=bench/torch-env.sh
. "$root/bench/torch-env.sh"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
echo "images: $n, timed epochs per run: $timed, rounds: $rounds, threads: $threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}, load: $(cut -d' ' -f1-3 /proc/loadavg)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "--- round $round: DJL"
  java @"$root/infra/jvm.options" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
    io.tunelab.bench.DjlTrainingBenchmark "$n" "$timed" "$data" 2> >(grep -v -i -e 'cuda' -e 'AutoNonVariableTypeMode' >&2) \
    | tee -a "$log"
  echo "--- round $round: PyTorch"
  "$python" "$root/bench/pytorch_cnn.py" "$n" "$timed" "$data" | tee -a "$log"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
awk '
  /^RESULT djl / { djl += $3; nd++ }
  /^RESULT djl-plain / { plain += $3; npl++ }
  /^RESULT pytorch / { py += $3; np++ }
  END {
    if (nd == 0 || np == 0 || npl == 0) { print "djl-vs-pytorch: missing results" > "/dev/stderr"; exit 1 }
    printf "EpochTrainer mean: %.0f images/s over %d runs; plain DJL loop mean: %.0f images/s; pytorch mean: %.0f images/s over %d runs\n", djl / nd, nd, plain / npl, py / np, np
    printf "plain DJL loop vs pytorch (for information): ratio %.2f\n", (plain / npl) / (py / np)
    printf "djl-vs-pytorch: ratio %.2f\n", (djl / nd) / (py / np)
  }' "$log"
