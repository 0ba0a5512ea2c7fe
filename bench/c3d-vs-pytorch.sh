#!/usr/bin/env bash
# DJL vs PyTorch training throughput on tunelab's "c3d" (Network.build), same N generated clips
# of 1x16x32x32 (written by the DJL side, read by the Python side), batch 16, Adam, 2 threads, one
# warm-up epoch then TIMED timed epochs; DJL and Python run back to back, ROUNDS times interleaved.
# Then the decoder's throughput (ClipDecodeBenchmark): 16-frame stacks of 32x32 per second that a
# clip ingest makes from 120 generated H.264 MP4s of 64 frames (JCodec) and from the same videos as
# PNG frame folders, on $threads threads.
# Usage: bench/c3d-vs-pytorch.sh [N=512] [TIMED=2] [ROUNDS=2]
# Last line: "c3d-vs-pytorch: ratio X" = DJL clips/s / PyTorch clips/s (means of all timed
# epochs). Installs nothing: it stops with instructions when something is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-512}" timed="${2:-2}" rounds="${3:-2}"
threads="${TUNELAB_BENCH_THREADS:-2}"
python=/usr/bin/python3   # Debian's python: the 'python3' on PATH may be another one without torch

missing=0
bench=c3d-vs-pytorch
# shellcheck source=bench/torch-env.sh
. "$root/bench/torch-env.sh"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
echo "clips: $n, timed epochs per run: $timed, rounds: $rounds, threads: $threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
log="$(mktemp)"
clips="$(mktemp -d)"
trap 'rm -rf "$log" "$clips"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "--- round $round: DJL"
  java @"$root/infra/jvm.options" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
    io.tunelab.bench.C3dTrainingBenchmark "$n" "$timed" "$clips" 2> >(grep -v -i -e 'cuda' -e 'AutoNonVariableTypeMode' >&2) \
    | tee -a "$log"
  echo "--- round $round: PyTorch"
  "$python" "$root/bench/pytorch_c3d.py" "$n" "$timed" "$clips" | tee -a "$log"
done
echo "--- decode"
java @"$root/infra/jvm.options" -cp "$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.ClipDecodeBenchmark 20 64 "$threads" "$clips/decode" | grep -v '^warm-up'
awk '
  /^RESULT djl / { djl += $3; nd++ }
  /^RESULT pytorch / { py += $3; np++ }
  END {
    if (nd == 0 || np == 0) { print "c3d-vs-pytorch: missing results" > "/dev/stderr"; exit 1 }
    printf "djl mean: %.1f clips/s over %d runs; pytorch mean: %.1f clips/s over %d runs\n", djl / nd, nd, py / np, np
    printf "c3d-vs-pytorch: ratio %.2f\n", (djl / nd) / (py / np)
  }' "$log"
