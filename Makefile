# The two quick-start commands, plus helpers. Every target installs what it needs first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps build demo test fuzz-smoke format lint bench clean

deps:
	bash scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# Build, write the demo incident and run ashiato on it.
demo: build
	bash scripts/demo $(BUILD)/src/cli/ashiato demo

# Build with warnings as errors and run the whole test suite through CTest.
test: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DASHIATO_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# libFuzzer + ASan/UBSan build of the EVTX parser, run briefly on the corpus seeds.
fuzz-smoke: deps
	bash scripts/fuzz-smoke 60

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

lint: build
	bash scripts/lint $(BUILD)

bench: build
	bash bench/evtx_bench.sh

clean:
	rm -rf $(BUILD) build-fuzz
