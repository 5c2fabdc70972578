#!/usr/bin/env bash
# The test suites under sanitizers, each in its own build directory (ccache-friendly when ccache
# is installed):
#   build-asan  clang, ASan + UBSan (+ libFuzzer coverage), -O1: everything (unit_tests,
#               cli_tests, server_tests, the fuzz-corpus replays, the libFuzzer binaries fuzz_*),
#               and every test but the reference-accuracy runs on the public data
#   build-tsan  clang, TSan, -O1: server_tests and the parallel_for unit tests (parallel_tests)
# Any report aborts the test that caused it. Usage: scripts/sanitize.sh [asan|tsan|all] (all).
# scripts/sanitize.sh fuzz TARGET [SECONDS] runs one libFuzzer target (fuzz/fuzz_TARGET.cc) for
# SECONDS (300) on a working copy of its corpus in build-asan/fuzz-corpus/TARGET; what it finds
# goes to build-asan/fuzz-findings/.
# Each step prints how long it took. See docs/security.md, "Fuzzing and sanitizers".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
jobs=${JOBS:-$(nproc)}
cxx=${SANITIZE_CXX:-clang++-14}
case "$what" in asan | tsan | all | fuzz) ;; *) echo "usage: $0 [asan|tsan|all] | fuzz TARGET [SECONDS]" >&2; exit 2 ;; esac

step() {  # step NAME COMMAND...: runs it and prints its wall time
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - start)) s"
}

# clang's warnings differ from g++'s, which gates -Werror in the normal build: not errors here.
configure() {  # configure DIR SANITIZERS [EXTRA CMAKE ARGS...]
  local dir=$1 sanitizers=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DSMARTCHURN_SANITIZE="$sanitizers" -DSMARTCHURN_WERROR=OFF -DSMARTCHURN_WEB=OFF \
    -DSMARTCHURN_BENCH=OFF "$@" > /dev/null
}

# Runs a gtest binary as two shards side by side (one per core); fails when either fails.
run_sharded() {
  local status=0
  GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=0 "$@" > "$1.shard0.log" 2>&1 &
  local first=$!
  GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=1 "$@" > "$1.shard1.log" 2>&1 || status=1
  wait "$first" || status=1
  grep -h -E '^\[  (PASSED|FAILED) ' "$1.shard0.log" "$1.shard1.log" || true
  if [[ $status -ne 0 ]]; then tail -n 60 "$1.shard0.log" "$1.shard1.log"; fi
  return $status
}

# Passive OpenMP waiting and few OpenMP threads: the two cores are shared by two test processes.
export OMP_WAIT_POLICY=passive

asan_environment() {
  export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
  export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
}

if [[ "$what" == fuzz ]]; then
  target=${2:?usage: $0 fuzz TARGET [SECONDS]}
  seconds=${3:-300}
  [[ -f fuzz/fuzz_$target.cc ]] || { echo "no fuzz target fuzz/fuzz_$target.cc" >&2; exit 2; }
  asan_environment
  step "fuzz: configure" configure build-asan address,undefined -DSMARTCHURN_FUZZ=ON
  step "fuzz: build" cmake --build build-asan -j "$jobs" --target "fuzz_$target"
  mkdir -p "build-asan/fuzz-corpus/$target" build-asan/fuzz-findings
  cp -n "fuzz/corpus/$target"/* "build-asan/fuzz-corpus/$target/"
  dict=()
  if [[ -f fuzz/dict/$target.dict ]]; then dict=(-dict="fuzz/dict/$target.dict"); fi
  # Leaks are checked by the test runs; here they would stop a long run on XGBoost's caches.
  step "fuzz: $target for $seconds s" "build-asan/fuzz/fuzz_$target" "${dict[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix=build-asan/fuzz-findings/"$target"- "build-asan/fuzz-corpus/$target"
  exit 0
fi

if [[ "$what" == asan || "$what" == all ]]; then
  asan_environment
  step "asan: configure" configure build-asan address,undefined -DSMARTCHURN_FUZZ=ON
  step "asan: build" cmake --build build-asan -j "$jobs"
  # Left out here: the reference-accuracy runs on the public data sets (Sets/SharedData.*), whose
  # time goes to training in the uninstrumented XGBoost library; the same files' reading and
  # scoring run instrumented in SharedDataScorer and SharedExport.
  step "asan: test" bash -c "cd build-asan && ctest --output-on-failure -j $jobs -E '^Sets/SharedData\\.'"
  unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
fi

if [[ "$what" == tsan || "$what" == all ]]; then
  # One OpenMP thread: XGBoost's OpenMP regions are uninstrumented and only add false reports.
  export OMP_NUM_THREADS=1
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/sanitizers/tsan.supp"
  step "tsan: configure" configure build-tsan thread
  step "tsan: build" cmake --build build-tsan -j "$jobs" --target smartchurn server_tests parallel_tests
  step "tsan: test" run_sharded build-tsan/tests/server_tests
  step "tsan: parallel_for" build-tsan/parallel_tests
  unset OMP_NUM_THREADS TSAN_OPTIONS
fi
