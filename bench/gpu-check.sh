#!/usr/bin/env bash
# Proves that this machine's tunelab trains on a GPU: which libtorch DJL loaded and how many GPUs
# it sees; then one epoch of tunelab's cnn on N Fashion-MNIST images on the GPU and the same epoch
# on the CPU, and the ratio of their throughputs. On a machine without a GPU (or with the default
# CPU-only libtorch) it says so and exits 2.
# Usage: bench/gpu-check.sh [N=12800]
#   With a CUDA libtorch outside the jar (docs/operations.md, "GPUs"):
#   PYTORCH_LIBRARY_PATH=/opt/libtorch/lib PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=2.7.1 bench/gpu-check.sh
# Last line: "gpu-check: ratio X (gpu/cpu images per second)". Exit 0: trained on the GPU;
# 1: something failed (libtorch did not load, no data, did not learn); 2: no GPU. Installs and
# downloads nothing. GPU_CHECK_DRY_RUN=1 runs the whole check with the "gpu" epoch on the CPU (to
# test this script where there is no GPU); it still exits 2.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-12800}"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"

if [ -n "${PYTORCH_LIBRARY_PATH:-}" ] && [ ! -e "$PYTORCH_LIBRARY_PATH/libtorch.so" ]; then
  echo "gpu-check: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH has no libtorch.so (point it at libtorch's lib/ folder)" >&2
  exit 1
fi
if command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)"
else
  echo "gpu-check: nvidia-smi not found (no NVIDIA driver on this machine?)"
fi

# DJL must never download libtorch or phone home; libtorch's own chatter is noise here
export DJL_OFFLINE=true OPT_OUT_TRACKING=true TORCH_CPP_LOG_LEVEL=ERROR
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
"$root/tunelab" --version >/dev/null   # builds the jars when needed
java @"$root/infra/jvm.options" -Dai.djl.offline=true \
  -cp "$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.GpuCheck "$n" "$data" 2> >(grep -v -e 'AutoNonVariableTypeMode' >&2)
