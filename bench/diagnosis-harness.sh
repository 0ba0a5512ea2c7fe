#!/usr/bin/env bash
# Diagnosis harness: measures the findings engine. Plants causes (label noise, class imbalance, too
# high or too low a learning rate, too little data, three domain shifts, a tiny validation set,
# train/val leakage, overfitting, overconfidence, a low-initial-rising fine-tune, forgetting,
# scrambled pixels, fine-tuned whole and with the backbone frozen), two causes at once (noise +
# imbalance, too little data + too high a rate) and clean cases into Fashion-MNIST AND scikit-learn's digits, at several seeds (each seed draws the
# data and is the runs' --seed), runs `tunelab run --wait --json` on each through the CLI's verbs
# (in-process, embedded stack), and prints precision and recall per finding code (counting
# warning/critical, and counting any severity), the false warnings on clean cases, and a markdown
# table for bench/README.md and docs/diagnosis.md. Judges whatever findings engine the jar has.
# Usage: bench/diagnosis-harness.sh [--only CASE[,CASE...]] [--seeds 1,2,3]
#   [--datasets fashion,digits] [--keep] [--home DIR] [--list]
# bench/diagnosis-harness.sh --rejudge HOME [--only ...]: scores a kept home's runs again with the
#   jar's CURRENT findings engine, without training (seconds, not an hour).
# Last line: "diagnosis-harness: N cases, worst precision X (code), worst recall Y (code),
#   Z false warnings on clean cases"; exit 0 unless the usage is wrong (2) or nothing ran (1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${TUNELAB_BENCH_DATA:-/usr/share/datasets/fashion-mnist}"
digits="${TUNELAB_BENCH_DIGITS:-/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz}"
rejudge=false
for a in "$@"; do if [ "$a" = "--rejudge" ]; then rejudge=true; fi; done
if ! $rejudge && [ ! -r "$data/train-images-idx3-ubyte.gz" ]; then
  echo "diagnosis-harness: Fashion-MNIST idx files not found in $data" >&2
  echo "  install them with: sudo apt-get install dataset-fashion-mnist (or set TUNELAB_BENCH_DATA)" >&2
  exit 1
fi
if ! $rejudge && [ ! -r "$digits" ]; then
  echo "diagnosis-harness: scikit-learn's digits.csv.gz not found at $digits" >&2
  echo "  install it with: sudo apt-get install python3-sklearn (or set TUNELAB_BENCH_DIGITS)" >&2
  exit 1
fi
jar="$root/cli/target/tunelab.jar"
# TUNELAB_BENCH_JAR: run a copy, so that rebuilding the tree during a long run does not pull
# classes out from under it (and so that an older engine can be measured).
if [ -n "${TUNELAB_BENCH_JAR:-}" ]; then jar="$TUNELAB_BENCH_JAR"; fi
# TUNELAB_HARNESS_JAR: a copy of bench/target/tunelab-bench.jar, for the same reason.
bench_jar="${TUNELAB_HARNESS_JAR:-$root/bench/target/tunelab-bench.jar}"
# Build the jars (reactor package, nothing installed) when missing or older than the sources.
if { [ -z "${TUNELAB_BENCH_JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/workflows" "$root/engine" "$root/activities" "$root/infra" "$root/cli" \
    -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
    -newer "$jar" -print -quit)" ]; }; } \
  || { [ -z "${TUNELAB_HARNESS_JAR:-}" ] && { [ ! -f "$bench_jar" ] || [ -n "$(find "$root/bench/src" "$root/bench/pom.xml" -newer "$bench_jar" -print -quit)" ]; }; }; then
  echo "diagnosis-harness: building the jars" >&2
  (cd "$root" && mvn -B -q ${TUNELAB_MVN_OPTS:-} -DskipTests package) >&2
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# libgomp's default active waiting collapses 2-thread training when the cores are shared
# (see bench/README.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The in-process worker logs every failed run (lr-too-high fails on purpose) with a stack trace at
# WARN; the harness prints what matters, and each case's log is kept in the home.
export TUNELAB_CONSOLE_LOG_LEVEL="${TUNELAB_CONSOLE_LOG_LEVEL:-ERROR}"
echo "machine: $(nproc) cores, $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)'), jar $jar"
exec java @"$root/infra/jvm.options" -Dai.djl.offline=true -cp "${TUNELAB_BENCH_EXTRA_CP:+$TUNELAB_BENCH_EXTRA_CP:}$jar:$bench_jar" \
  io.tunelab.bench.DiagnosisHarness --fashion "$data" --digits "$digits" "$@"
