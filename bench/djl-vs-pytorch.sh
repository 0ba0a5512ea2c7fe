#!/usr/bin/env bash
# DJL vs PyTorch training throughput on tunelab's "cnn" (Network.build), same data (the first N
# Fashion-MNIST training images, read from the idx files), batch 64, Adam, 2 threads, one warm-up
# epoch then TIMED timed epochs; DJL and Python run back to back, ROUNDS times interleaved.
# Usage: bench/djl-vs-pytorch.sh [N=12800] [TIMED=2] [ROUNDS=2]
# Last line: "djl-vs-pytorch: ratio X" = DJL images/s / PyTorch images/s (means of all timed
# epochs). Installs nothing: it stops with instructions when something is missing.
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
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "djl-vs-pytorch: $python cannot import torch (Debian's python3-torch)" >&2
  echo "  install it with: sudo apt-get update && sudo apt-get install python3-torch libopenblas0-pthread" >&2
  missing=1
fi
if [ "$(dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null)" != "install ok installed" ]; then
  echo "djl-vs-pytorch: libopenblas0-pthread is not installed; Debian's torch then runs on the" >&2
  echo "  reference BLAS, about 2.3x slower, which would make the ratio meaningless." >&2
  echo "  install it with: sudo apt-get install libopenblas0-pthread" >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 1

# OpenBLAS picks its kernels from the CPU it detects; on some virtual CPUs that guess is wrong,
# so name the core type from the CPU flags unless the caller did.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell
  fi
fi
# libgomp (both sides use it) spins while it waits by default; on shared cores that collapsed
# 2-thread training up to 10x (see bench/README.md). PASSIVE unless the caller says otherwise.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
export TUNELAB_BENCH_THREADS="$threads" OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR

"$root/tunelab" --version >/dev/null   # builds the jar when needed

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
echo "images: $n, timed epochs per run: $timed, rounds: $rounds, threads: $threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
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
done
awk '
  /^RESULT djl / { djl += $3; nd++ }
  /^RESULT pytorch / { py += $3; np++ }
  END {
    if (nd == 0 || np == 0) { print "djl-vs-pytorch: missing results" > "/dev/stderr"; exit 1 }
    printf "djl mean: %.0f images/s over %d runs; pytorch mean: %.0f images/s over %d runs\n", djl / nd, nd, py / np, np
    printf "djl-vs-pytorch: ratio %.2f\n", (djl / nd) / (py / np)
  }' "$log"
