# Sourced by the DJL-vs-PyTorch benchmarks (set $bench, $python, $threads, $missing first): checks
# Debian's torch and OpenBLAS, and gives both sides the same threads and OpenMP policy.
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "$bench: $python cannot import torch (Debian's python3-torch)" >&2
  echo "  install it with: sudo apt-get update && sudo apt-get install python3-torch libopenblas0-pthread" >&2
  missing=1
fi
if [ "$(dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null)" != "install ok installed" ]; then
  echo "$bench: libopenblas0-pthread is not installed; Debian's torch then runs on the" >&2
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
