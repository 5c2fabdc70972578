#!/usr/bin/env bash
# Installs every Debian package SmartChurn needs to build, test and benchmark. Idempotent: only
# missing packages are installed, so a second run costs a dpkg query.
set -euo pipefail

BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libxgboost-dev xgboost          # boosted trees and random forests (xgboost: for its CMake config)
  libeigen3-dev                   # linear algebra: logistic regression, PCA
  nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libssl-dev                      # sha256 fingerprints
  zlib1g-dev                      # gzip-compressed input files
  libsqlite3-dev libsqlitecpp-dev # the embedded store
  libboost-dev                    # the HTTP server: Boost.Beast and Asio (header-only)
  libcpp-httplib-dev              # the HTTP client of the server tests
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-xgboost python3-numpy  # the XGBoost interop test (tests/cli/test_xgboost_interop.cc)
  clang-14 libclang-rt-14-dev     # sanitizer builds and libFuzzer targets (make sanitize, fuzz/)
  clang-format-14 clang-tidy-14   # make style (scripts/check-style.sh)
  ccache                          # keeps the three build directories cheap to rebuild
  prometheus                      # promtool: the test that checks the real /metrics output
  zsh man-db groff-base           # the tests of the generated completions and man page (tests/cli/test_cli_docs.cc)
  python3 python3-yaml python3-jsonschema  # the test of real responses against docs/openapi.yaml
)
# The web dashboard: Node.js and npm build and test it (never needed to run it); the browser tests
# drive Debian's Chromium. Node comes from Debian only when none is installed, so a newer Node
# (e.g. NodeSource's, which bundles npm) is left alone.
WEB_PACKAGES=(chromium fonts-dejavu-core)
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then WEB_PACKAGES+=(nodejs npm); fi
BENCH_PACKAGES=(
  python3 python3-sklearn python3-xgboost python3-pandas  # the peers measured side by side
  python3-flask gunicorn                                  # the HTTP peer
  hyperfine time wrk curl
  libmicrohttpd-dev                                       # the second HTTP candidate (bench_mhd_serve)
)

# `install-deps.sh --node-ok`: exit 0 when this Node can build the dashboard (for scripts that
# need it, such as check-style.sh).
node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2> /dev/null
}
if [[ "${1:-}" == "--node-ok" ]]; then node_ok; exit; fi

want=("${BUILD_PACKAGES[@]}" "${WEB_PACKAGES[@]}")
if [[ "${1:-}" == "--bench" ]]; then want+=("${BENCH_PACKAGES[@]}"); fi

# Vite 7 and playwright-core need Node 20.19 or newer; Debian 12 ships 18. Say so once, clearly
# (CMake then builds without the dashboard and says so too).
check_node() {
  command -v node > /dev/null || return 0
  local version
  version=$(node -p 'process.versions.node' 2> /dev/null || echo 0)
  if ! node_ok; then
    echo "Note: Node.js $version is too old for the web dashboard (it needs 20.19+)." >&2
    echo "      Install Node.js 20.19+ (for example from NodeSource) to build and test it." >&2
  fi
}

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  check_node
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
check_node
