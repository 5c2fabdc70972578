#!/usr/bin/env bash
# Single-customer POST /predict of this tree's server against a previous commit's, side by side
# in one run: builds the smartchurn target of BASE (default: the last commit before the Beast
# server) in a temporary git worktree (Release, ccache), then runs bench/http_predict.sh on both,
# alternating ROUNDS times, and writes bench/results/http_compare.{json,md}.
# Usage: bench/http_compare.sh [current-binary] [base-commit] [rounds] [seconds] [connections]
# BUILD_TYPE (default Release) is the base's build type: give the current binary's.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
source "$HERE/wrk_common.sh"
CURRENT=$(realpath "${1:-$ROOT/build-release/smartchurn}")
BASE=${2:-31e07c1}
ROUNDS=${3:-3}
SECONDS_TO_RUN=${4:-10}
CONNECTIONS=${5:-16}
BUILD_TYPE=${BUILD_TYPE:-Release}
BASE_DIR=$(mktemp -d)
cleanup() {
  local rc=$?
  git -C "$ROOT" worktree remove --force "$BASE_DIR/src" > /dev/null 2>&1 || true
  rm -rf "$BASE_DIR"
  exit "$rc"
}
trap cleanup EXIT

git -C "$ROOT" worktree add --detach "$BASE_DIR/src" "$BASE" > /dev/null
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$ROOT")} CCACHE_NOHASHDIR=true
cmake -S "$BASE_DIR/src" -B "$BASE_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSMARTCHURN_WEB=OFF > "$BASE_DIR/cmake.log"
cmake --build "$BASE_DIR/build" -j2 --target smartchurn > "$BASE_DIR/build.log"
BASE_BIN="$BASE_DIR/build/smartchurn"

: > "$BASE_DIR/runs.jsonl"
alternate_rounds "$BASE_DIR/runs.jsonl" "$ROUNDS" "$SECONDS_TO_RUN" "$CONNECTIONS" \
  base "$BASE_BIN" current "$CURRENT"

mkdir -p "$HERE/results"
/usr/bin/python3 - "$BASE_DIR/runs.jsonl" "$HERE/results" "$BASE" "$BUILD_TYPE" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
out, base, build_type = sys.argv[2], sys.argv[3], sys.argv[4]
def pick(side, key):
    return [r["result"][key] for r in runs if r["side"] == side and key in r["result"]]
summary = {"base_commit": base, "runs": runs}
rows = []
for side in ("base", "current"):
    rps = pick(side, "requests_per_s")
    p99 = pick(side, "p99_ms")
    summary[side] = {"requests_per_second_median": statistics.median(rps) if rps else None,
                     "p99_ms_median": statistics.median(p99) if p99 else None}
    rows.append(f"| {side} | {summary[side]['requests_per_second_median']} | {summary[side]['p99_ms_median']} |")
b, c = summary["base"]["requests_per_second_median"], summary["current"]["requests_per_second_median"]
summary["ratio"] = c / b if b and c else None
json.dump(summary, open(f"{out}/http_compare.json", "w"), indent=2)
with open(f"{out}/http_compare.md", "w") as md:
    md.write(f"# POST /predict, one customer, wrk -t1 -c16: this tree against {base}\n\n")
    md.write(f"Both servers built {build_type}, runs alternating base and current.\n\n")
    md.write("| server | requests/s (median) | p99 ms (median) |\n|---|---|---|\n")
    md.write("\n".join(rows) + "\n\n")
    md.write(f"ratio current / base: {summary['ratio']:.3f}\n" if summary["ratio"] else "ratio: n/a\n")
print(open(f"{out}/http_compare.md").read())
PY
