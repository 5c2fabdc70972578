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
  libsqlite3-dev libsqlitecpp-dev # the embedded store
  libcpp-httplib-dev              # the HTTP server
  libgtest-dev libgmock-dev libbenchmark-dev
)
BENCH_PACKAGES=(
  python3 python3-sklearn python3-xgboost python3-pandas  # the peers measured side by side
  python3-flask gunicorn                                  # the HTTP peer
  hyperfine time wrk curl
)

want=("${BUILD_PACKAGES[@]}")
if [[ "${1:-}" == "--bench" ]]; then want+=("${BENCH_PACKAGES[@]}"); fi

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
