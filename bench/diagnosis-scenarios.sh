#!/usr/bin/env bash
# Diagnosis scenarios: builds Fashion-MNIST datasets that each carry ONE planted cause (label
# noise, class imbalance, too high a learning rate, too little data, domain shift, a tiny
# validation set, train/val leakage, overfitting, overconfidence) plus a healthy baseline,
# pretrains one CNN on classes 0-4, runs `tunelab run --wait --json` on every scenario (on
# classes 0-4 too; --target other: classes 5-9) on an embedded stack in-process, and checks that the report's findings name the planted
# cause (healthy: no warning or critical finding). Judges whatever findings engine the jar has.
# Usage: bench/diagnosis-scenarios.sh [--only NAME[,NAME...]] [--keep] [--home DIR]
#   [--target same|other] [--list]
# Last line: "diagnosis-scenarios: N/M passed"; exit 0 when all passed, 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
if [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
  echo "diagnosis-scenarios: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  exit 1
fi
jar="$root/cli/target/tunelab.jar"
# TUNELAB_BENCH_JAR: run a copy, so that rebuilding the tree during a long suite does not pull
# classes out from under it.
if [ -n "${TUNELAB_BENCH_JAR:-}" ]; then jar="$TUNELAB_BENCH_JAR"; fi
# Build the jar (reactor package, nothing installed) when it is missing or older than the sources.
if [ -z "${TUNELAB_BENCH_JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/workflows" "$root/engine" "$root/activities" "$root/infra" "$root/cli" "$root/bench/src" "$root/bench/pom.xml" \
    -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
    -newer "$jar" -print -quit)" ]; }; then
  echo "diagnosis-scenarios: building $jar" >&2
  (cd "$root" && mvn -B -q ${TUNELAB_MVN_OPTS:-} -DskipTests package) >&2
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# libgomp's default active waiting collapses 2-thread training when the cores are shared
# (see bench/README.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The in-process worker logs every failed run (lr-too-high fails on purpose) with a stack trace at
# WARN; the suite prints what matters, and each scenario's log is kept with --keep.
export TUNELAB_CONSOLE_LOG_LEVEL="${TUNELAB_CONSOLE_LOG_LEVEL:-ERROR}"
echo "machine: $(nproc) cores, $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$jar:$root/bench/target/tunelab-bench.jar" \
  io.tunelab.bench.DiagnosisScenarios --data "$data" "$@"
