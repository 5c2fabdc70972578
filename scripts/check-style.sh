#!/usr/bin/env bash
# The style checks of .ci/run (make style): clang-format over every C++ file, clang-tidy
# (.clang-tidy: bugprone-* and the naming rules) over every source under src/, and eslint plus
# prettier over the dashboard. Fails on the first check that finds something; each prints what
# and where. `--no-tidy` skips clang-tidy, the slow one (about 6 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== clang-format (.clang-format)"
git ls-files '*.cc' '*.h' | xargs clang-format-14 --dry-run --Werror

echo "== eslint and prettier (web/)"
if scripts/install-deps.sh --node-ok; then
  if [[ ! -f web/node_modules/.package-lock.json ]]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd web && npm run --silent lint)
else
  echo "skipped: the dashboard's lint needs Node.js 20.19+ (scripts/install-deps.sh explains)" >&2
fi

if [[ "${1:-}" != "--no-tidy" ]]; then
  echo "== clang-tidy (.clang-tidy) over src/"
  # A compilation database of single files (the unity build's lists batches instead); configuring
  # is enough, nothing is built.
  cmake -S . -B build-tidy -G Ninja -DCMAKE_UNITY_BUILD=OFF -DSMARTCHURN_WEB=OFF \
    -DSMARTCHURN_TESTS=OFF > /dev/null
  git ls-files 'src/*.cc' | xargs -P "$jobs" -n 4 clang-tidy-14 -p build-tidy --quiet 2> /dev/null
fi
echo "style: clean"
