#!/usr/bin/env bash
# Ingest throughput: decode + validate + hash + resize of N Fashion-MNIST PNGs, parallel vs
# single-threaded in the same run. Last line: "ingest-throughput: ratio X".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/tunelab" --version >/dev/null   # builds the jar when needed
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "$root/cli/target/tunelab.jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.IngestBenchmark "${1:-10000}" "${2:-1x28x28}"
