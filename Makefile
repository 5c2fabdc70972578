# Two commands for a newcomer: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SMARTCHURN_WERROR ?= OFF
JOBS ?= $(shell nproc)
DEMO_DIR ?= demo
DATA_DIR ?= smartchurn-data
HOST ?= 127.0.0.1
PORT ?= 8080
BIN := $(BUILD_DIR)/smartchurn

.PHONY: all deps configure build run demo test check style sanitize fuzz bench clean format

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DSMARTCHURN_WERROR=$(SMARTCHURN_WERROR) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The server with the embedded store; the first start seeds and scores the demo customer base.
run: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target smartchurn
	@$(BIN) serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

# The command-line walk-through: generate, profile, train, score.
demo: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target smartchurn
	@scripts/demo.sh $(BIN) $(DEMO_DIR)

# Every test: the normal build's suites (with the fuzz-corpus replays), then the same suites under
# the sanitizers. `make check` is the first half alone, for a quick loop while editing.
test: check sanitize

check: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The test suites under ASan+UBSan (build-asan, with the fuzz-corpus replays) and TSan (build-tsan:
# the server tests and parallel_for); scripts/sanitize.sh, docs/security.md.
sanitize: deps
	@scripts/sanitize.sh all

# Fuzz one target for FUZZ_SECONDS (default 300) on its corpus, e.g. make fuzz FUZZ_TARGET=api_json.
# New inputs go to build-asan/fuzz-corpus/<target>; crashes to build-asan/fuzz-findings/.
FUZZ_TARGET ?= csv_reader
FUZZ_SECONDS ?= 300
fuzz: deps
	@scripts/sanitize.sh fuzz $(FUZZ_TARGET) $(FUZZ_SECONDS)

bench:
	@scripts/install-deps.sh --bench
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMARTCHURN_TESTS=OFF \
	  -DSMARTCHURN_BENCH=ON > /dev/null
	@cmake --build build-release -j $(JOBS) --target smartchurn bench_scorer bench_explain bench_models bench_mhd_serve
	@bench/run.sh build-release/smartchurn

# clang-format, clang-tidy, eslint and prettier (scripts/check-style.sh); `make format` fixes what
# the formatters can.
style: deps
	@scripts/check-style.sh

format:
	@clang-format-14 -i $$(git ls-files '*.cc' '*.h')
	@cd web && npm run --silent format > /dev/null

clean:
	rm -rf $(BUILD_DIR) build-release build-asan build-tsan build-tidy
