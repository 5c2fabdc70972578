#!/usr/bin/env bash
# The installed package as a user gets it (cmake/install.cmake, docs/deployment.md): installs the
# build into a temporary prefix, then
#   1. builds examples/ with find_package(SmartChurn) and runs it on a model trained with the built
#      binary: its scores equal `smartchurn predict`'s;
#   2. builds the same program with `pkg-config --cflags --libs smartchurn` and runs it;
#   3. compiles each installed public header on its own (self-contained);
#   4. starts `serve` with the example serve.json (paths moved into the temporary folder) and the
#      installed unit checks with systemd-analyze verify when that can run here.
# Usage: installed_package.sh BUILD_DIR SOURCE_DIR CXX_COMPILER
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
cxx=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/smartchurn-install.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || fail "cmake --install"
bin=$prefix/bin/smartchurn
for f in bin/smartchurn include/smartchurn/scorer.h lib/cmake/SmartChurn/SmartChurnConfig.cmake \
  lib/systemd/system/smartchurn.service share/smartchurn/etc/serve.json \
  share/smartchurn/etc/telecom.json; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
libdir=$(dirname "$(find "$prefix" -name libsmartchurn.a | head -n 1)")
[[ -f $libdir/libsmartchurn.a && -f $libdir/pkgconfig/smartchurn.pc ]] ||
  fail "libsmartchurn.a or smartchurn.pc not installed"

# A small model, trained by the installed binary.
"$bin" demo-data --rows 400 --seed 7 -o "$work/customers.csv" > /dev/null
"$bin" train "$work/customers.csv" --target churn --models lr --folds 2 --no-global-view \
  -o "$work/model.json" > /dev/null
"$bin" predict --model "$work/model.json" "$work/customers.csv" -o "$work/expected.csv" \
  2> /dev/null

check_example() {  # the example's CSV output equals predict's; its single score equals row one's
  local program=$1 out=$work/$2
  "$program" "$work/model.json" "$work/customers.csv" > "$out" 2> "$out.err" ||
    fail "$program failed: $(cat "$out.err")"
  grep -q '^400 scored, 0 rejected$' "$out.err" || fail "$program: $(cat "$out.err")"
  grep -v '^first customer: ' "$out" | cmp -s - "$work/expected.csv" ||
    fail "$program: the scores differ from smartchurn predict's"
  local single first
  single=$(sed -n 's/^first customer: //p' "$out")
  first=$(sed -n 2p "$work/expected.csv" | awk -F, '{ print $(NF - 1) }')
  [[ -n $single && $single == "$first" ]] ||
    fail "$program: the single customer scored '$single', the batch '$first'"
  echo "ok: $program"
}

# 1. CMake: find_package(SmartChurn) and SmartChurn::smartchurn.
cmake -S "$source/examples" -B "$work/example-build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release > "$work/example-configure.log" ||
  fail "configuring examples/: $(cat "$work/example-configure.log")"
cmake --build "$work/example-build" > "$work/example-build.log" ||
  fail "building examples/: $(cat "$work/example-build.log")"
check_example "$work/example-build/score_customers" cmake.out

# 2. pkg-config.
export PKG_CONFIG_PATH=$libdir/pkgconfig
flags=$(pkg-config --cflags --libs smartchurn) || fail "pkg-config smartchurn"
# shellcheck disable=SC2086 # the flags are words
"$cxx" -std=c++20 -O1 "$source/examples/score_customers.cc" -o "$work/score_customers_pc" $flags ||
  fail "building the example with pkg-config: $flags"
check_example "$work/score_customers_pc" pkgconfig.out

# 3. Each public header compiles alone, with the package's flags only.
read -r -a cflags <<< "$(pkg-config --cflags smartchurn)"
for header in "$prefix"/include/smartchurn/*.h; do
  name=smartchurn/$(basename "$header")
  echo "#include <$name>" | "$cxx" -std=c++20 -Wall -Wextra -Werror -fsyntax-only \
    "${cflags[@]}" -x c++ - || fail "$name does not compile on its own"
done
echo "ok: every public header compiles on its own"

# 4. The example serve.json: every key accepted (unknown ones are an error), the server starts.
echo "test-token-0123456789 admin" > "$work/tokens"
/usr/bin/python3 - "$prefix/share/smartchurn/etc/serve.json" "$work" > "$work/serve.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
work = sys.argv[2]
config.update(host="127.0.0.1", port=0, data_dir=work + "/data", tokens=work + "/tokens",
              playbook=work + "/prefix/share/smartchurn/etc/telecom.json")
json.dump(config, sys.stdout)
PY
"$bin" serve --config "$work/serve.json" --no-demo > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/serve.out" 2> /dev/null && break
  kill -0 "$server_pid" 2> /dev/null || fail "serve with the example config: $(cat "$work/serve.err")"
  sleep 0.1
done
grep -q 'listening on' "$work/serve.out" || fail "serve did not start: $(cat "$work/serve.err")"
kill "$server_pid"
wait "$server_pid" || fail "serve did not stop cleanly on SIGTERM"
server_pid=""
echo "ok: serve runs with the example serve.json"

unit=$prefix/lib/systemd/system/smartchurn.service
grep -q "^ExecStart=$bin serve --config /etc/smartchurn/serve.json" "$unit" ||
  fail "the unit does not start the installed binary"
if command -v systemd-analyze > /dev/null; then
  # A misspelt or unknown directive is only a warning naming the file's line: refused here too.
  if systemd-analyze verify "$unit" > "$work/verify.log" 2>&1; then
    if grep -q 'smartchurn.service:[0-9]' "$work/verify.log"; then
      cat "$work/verify.log" >&2
      fail "systemd-analyze verify warns about the unit"
    fi
    echo "ok: systemd-analyze verify"
  elif grep -qiE 'failed to (connect|initialize|set up)|no such file or directory.*(/run|/sys)|not been booted' \
    "$work/verify.log"; then
    echo "skipped: systemd-analyze cannot run here: $(head -n 1 "$work/verify.log")"
  else
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify"
  fi
else
  echo "skipped: no systemd-analyze"
fi
