# Two commands for a newcomer: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SMARTCHURN_WERROR ?= OFF
JOBS ?= $(shell nproc)
DEMO_DIR ?= demo
BIN := $(BUILD_DIR)/smartchurn

.PHONY: all deps configure build run test bench clean format

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DSMARTCHURN_WERROR=$(SMARTCHURN_WERROR) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target smartchurn
	@scripts/demo.sh $(BIN) $(DEMO_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench:
	@scripts/install-deps.sh --bench
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMARTCHURN_TESTS=OFF > /dev/null
	@cmake --build build-release -j $(JOBS) --target smartchurn
	@bench/run.sh build-release/smartchurn

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD_DIR) build-release
