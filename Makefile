# The commands a user needs. Each installs what is missing first.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
# ccache hits across clones at different paths (CI builds a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: setup setup-test build run cluster test hunt asan-test tsan-test fuzz-build fuzz-test fuzz bench-micro bench clean

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

# The micro-benchmarks are built here too, so that make test runs each once
# (bench/CMakeLists.txt); their figures come from make bench-micro.
$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_BUILD_BENCH=ON $(CMAKE_FLAGS)

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	mkdir -p data
	./$(BUILD_DIR)/strata --config config/server.properties

# A local cluster: etcd and three brokers (scripts/cluster.sh, docs/cluster.md).
cluster: setup-test build
	bash scripts/cluster.sh

# Every test: unit and integration tests on the normal build, then the unit and
# integration tests under AddressSanitizer and UndefinedBehaviorSanitizer, the
# threaded code and a broker under load under ThreadSanitizer, then a short run
# of each fuzz target. The JSON-Schema-Test-Suite's pass rate per draft is
# printed after ctest, which shows no output of passing tests.
test: setup-test build
	rm -rf $(BUILD_DIR)/json-schema-test-suite
	cd $(BUILD_DIR) && status=0 && ctest --output-on-failure -j $(JOBS) --timeout 900 || status=$$?; \
	  cat json-schema-test-suite/*.txt 2>/dev/null || echo "JSON-Schema-Test-Suite: no summary (its tests did not run)"; \
	  exit $$status
	$(MAKE) asan-test
	$(MAKE) tsan-test
	$(MAKE) fuzz-test

# Runs the tests a ctest regex selects (HUNT=...) or one Java class
# (HUNT_JAVA=Class[#method]) COUNT times or until one fails, with LOAD=1
# under a loaded machine: check a new test this way before it lands.
COUNT ?= 20
LOAD ?= 0
hunt: setup-test build
	bash scripts/hunt_flaky.sh --count $(COUNT) $(if $(filter 1,$(LOAD)),--load) --build $(BUILD_DIR) \
	  $(if $(HUNT_JAVA),--java '$(HUNT_JAVA)','$(HUNT)')

# Every filter below must select tests (--no-tests=error): a renamed test
# must not turn a step into one that checks nothing.
#
# The C++ integration tests (the gtest ones: names with a dot) and the Python
# suites that reach broker paths the C++ ones do not (kill -9 under load,
# schema registry and validation) run against the ASan broker,
# build-asan/strata. The test harnesses stop each broker with SIGTERM, so
# LeakSanitizer runs, and fail a test whose broker exits non-zero or logs a
# sanitizer report. UBSan is built non-recoverable (-fno-sanitize-recover):
# its first report ends the broker.
ASAN_PYTHON_TESTS := ^python_test_(durability|schema_)
# Not under the sanitizers: a broker at its open-file limit on purpose.
# UBSan's vptr check reads memory through a pipe it creates, which fails
# (EMFILE), so every check reports a false "invalid vptr". And the
# fault-injection history: a Debug ASan broker is several times slower, its
# sessions lapse and leadership moves far more often; there it found records
# stored twice (fixed: produce_pipeline) and once a librdkafka producer that
# stopped making progress (docs/reliability.md, open finding); it runs in the
# normal suite until that is understood.
ASAN_EXCLUDED := ^(resource_limits\.more_partitions_than_descriptors|fault_injection_test\.)
asan-test: setup-test
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRATA_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure --no-tests=error -j $(JOBS) -L unit --timeout 900
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure --no-tests=error -j $(JOBS) -L integration -R '\.|$(ASAN_PYTHON_TESTS)' \
	  -E '$(ASAN_EXCLUDED)' --timeout 900

# Under ThreadSanitizer: the tests of the group-commit flusher (the code that
# runs on a second thread), then the broker itself (build-tsan/strata) driven
# by C++ integration tests with acks=all produce over several connections.
# Those run from the normal build's test binary: librdkafka's threads (C11
# thrd_create) are invisible to TSan and crash a TSan-built client process.
# RocksDB, a system library built without TSan, is suppressed (tests/sanitizers/tsan.supp).
TSAN_INTEGRATION_TESTS := full_disk.*:malformed_input.*:concurrent_producers.*:codecs/codec_round_trip.*/4:restart.*:crash.*:protocol.*
TSAN_ENV := TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/sanitizers/tsan.supp"
tsan-test: build
	cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_TSAN=ON
	cmake --build build-tsan -j $(JOBS) --target cluster_test strata
	cd build-tsan && $(TSAN_ENV) ctest --output-on-failure --no-tests=error -R '^group_commit_test\.' --timeout 900
	STRATA_BINARY=$(CURDIR)/build-tsan/strata $(TSAN_ENV) \
	  $(BUILD_DIR)/tests/integration/integration_cpp_test --gtest_filter='$(TSAN_INTEGRATION_TESTS)' \
	  --gtest_output=json:build-tsan/integration_tests.json
	@grep -q '"tests": [1-9]' build-tsan/integration_tests.json || \
	  { echo "tsan-test: '$(TSAN_INTEGRATION_TESTS)' selected no integration test"; exit 1; }

# libFuzzer targets (tests/fuzz) in a clang build of their own: fuzz-test
# replays the regression inputs and fuzzes each target for FUZZ_SECONDS (10);
# fuzz does the same for 5 minutes per target.
FUZZ_SECONDS ?= 10
fuzz-build:
	CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS)

fuzz-test: setup-test fuzz-build
	cd build-fuzz && FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --output-on-failure -L fuzz

fuzz:
	$(MAKE) fuzz-test FUZZ_SECONDS=300

# Micro-benchmarks of the hot paths, on a release build of their own.
bench-micro: setup
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_BENCH=ON -DSTRATA_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS) --target strata_micro_bench
	./build-bench/bench/strata_micro_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

# Side-by-side benchmark against Apache Kafka 4.1.1 (bench/compare): a release
# build, Kafka from Maven Central, matplotlib in a venv of its own; the report
# lands in bench/results/. Arguments go through BENCH_ARGS, e.g.
# make bench BENCH_ARGS="--records 200000 --repeats 1 --label smoke".
BENCH_ARGS ?=
BENCH_PYTHON := $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)

.tools/bench-venv/.installed: bench/requirements.txt
	rm -rf .tools/bench-venv
	$(BENCH_PYTHON) -m venv .tools/bench-venv
	.tools/bench-venv/bin/python -m pip install -q --disable-pip-version-check --no-input -r bench/requirements.txt
	touch $@

bench: setup-test .tools/bench-venv/.installed
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_BENCH=ON -DSTRATA_BUILD_TESTS=OFF
	cmake --build build-bench -j $(JOBS) --target strata
	bash bench/fetch_kafka_server.sh
	.tools/bench-venv/bin/python bench/compare $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR) build-asan build-bench build-fuzz build-tsan
