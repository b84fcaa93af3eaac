#!/usr/bin/env bash
# Runs the Java integration suite offline, as ctest does:
#   tests/integration/java/run_tests.sh <strata binary> <maven build dir> [extra mvn args...]
# Fails (never skips) when the tools from scripts/fetch_kafka_tools.sh are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
binary=${1:?usage: run_tests.sh <strata binary> <build dir> [mvn args...]}
build_dir=${2:?usage: run_tests.sh <strata binary> <build dir> [mvn args...]}
shift 2

missing=()
command -v mvn >/dev/null || missing+=("mvn")
command -v java >/dev/null || missing+=("java")
[[ -f "$root/.tools/kafka/.fetched" ]] || missing+=("$root/.tools (Kafka tools and Maven repository)")
if ((${#missing[@]})); then
  echo "java integration tests: missing ${missing[*]}; run scripts/setup.sh --test (or make setup-test)" >&2
  exit 1
fi

exec mvn -B -o -q -Dstyle.color=never -Dmaven.repo.local="$root/.tools/m2" -f "$here/pom.xml" \
  -Dstrata.build.dir="$build_dir" -Dstrata.binary="$binary" -Dkafka.tools.bin="$root/.tools/kafka/bin" \
  "$@" test
