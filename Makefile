# The two commands a newcomer needs: `make run` and `make test`.
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
DATA       ?= data
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps browser-deps configure build run test test-unit test-browser clean
.PHONY: test-asan fuzz load crash bench format format-check

all: build

deps:
	@scripts/install-deps.sh

browser-deps: deps
	@scripts/install-deps.sh --browser
	@cd tests/browser && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD)/CMakeCache.txt

# Everything: the server, the tests and their tools.
build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Only what it serves (the `plenary` target): the test suite is built by `make test`.
run: configure
	cmake --build $(BUILD) -j $(JOBS) --target plenary
	@echo "Starting plenary. On the first start it prints the organizer link: open it to create"
	@echo "drafts from a pasted text and print join slips. (Lost it? $(BUILD)/plenary organizer --data $(DATA) --reissue)"
	$(BUILD)/plenary serve --data $(DATA) --listen $(LISTEN) --web web

# Unit, integration and browser tests, all through CTest.
test: browser-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

# Reliability and security (README, "Reliability and security").
ASAN_BUILD   ?= build-asan
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
LOAD_SECONDS ?= 60

# Everything built with AddressSanitizer and UBSan; runs the unit and integration tests and
# the fuzz corpora (not the browser, crash and load tests).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DPLENARY_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900 -LE 'browser|crash|load'

# libFuzzer with Debian's clang: each target for FUZZ_SECONDS, from the seeds in
# tests/fuzz/corpus/<target>/; new inputs go to $(FUZZ_BUILD)/corpus, failures to
# $(FUZZ_BUILD)/findings (copy one into tests/fuzz/corpus/<target>/ to keep it as a test).
fuzz: deps
	@scripts/install-deps.sh --fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLENARY_FUZZ=ON \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_protocol fuzz_storage fuzz_brackets
	@for t in fuzz_protocol fuzz_storage fuzz_brackets; do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/findings || exit 1; \
	  echo "== $$t, $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/findings/$$t- \
	    $$( [ -f tests/fuzz/$$t.dict ] && echo -dict=tests/fuzz/$$t.dict ) \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The load test at full length (`make test` runs it for 30 s).
load: build
	PLENARY_LOAD_SECONDS=$(LOAD_SECONDS) $(BUILD)/tests/load/load_tests

# The crash test alone; PLENARY_CRASH_SEED and PLENARY_CRASH_ROUNDS change it.
crash: build
	$(BUILD)/tests/crash/crash_tests

# Benchmarks (docs/performance.md): Release build in build-bench with the tools of bench/,
# every scenario, results in bench/results/<scenario>.json and the table of
# docs/performance.md. BENCH_ARGS="--only latency,throughput --runs 1" for part of it.
BENCH_BUILD ?= build-bench
BENCH_ARGS  ?=
bench: deps
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DPLENARY_BENCH=ON
	cmake --build $(BENCH_BUILD) -j $(JOBS) --target bench_tools
	python3 bench/run.py --build $(BENCH_BUILD) $(BENCH_ARGS)

# The C++ style of .clang-format (Google, 100 columns). `format-check` fails, listing each
# file and line, when a tracked .cpp/.hpp differs from what clang-format would write; `format`
# rewrites them in place. Both over the files git tracks, so build trees are never touched.
CLANG_FORMAT ?= clang-format
format-check:
	@scripts/install-deps.sh --format
	git ls-files -z '*.cpp' '*.hpp' | xargs -0 $(CLANG_FORMAT) --dry-run -Werror

format:
	@scripts/install-deps.sh --format
	git ls-files -z '*.cpp' '*.hpp' | xargs -0 $(CLANG_FORMAT) -i

clean:
	rm -rf $(BUILD)
