# The two commands a newcomer needs: `make run` and `make test`.
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
DATA       ?= data
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps browser-deps configure build run test test-unit test-browser clean

all: build

deps:
	@scripts/install-deps.sh

browser-deps: deps
	@scripts/install-deps.sh --browser
	@cd tests/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; }

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/plenary serve --data $(DATA) --listen $(LISTEN) --web web

# Unit, integration and browser tests, all through CTest.
test: browser-deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

clean:
	rm -rf $(BUILD)
