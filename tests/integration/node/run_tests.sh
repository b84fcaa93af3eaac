#!/usr/bin/env bash
# Runs the Node (kafkajs) integration suite, as ctest does:
#   tests/integration/node/run_tests.sh <strata binary>
# Fails (never skips) when node or the packages from scripts/setup.sh --test are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:?usage: run_tests.sh <strata binary>}

if ! command -v node >/dev/null; then
  echo "node integration tests: node is missing; run scripts/setup.sh --test (or make setup-test)" >&2
  exit 1
fi
if [[ ! -f "$here/node_modules/kafkajs/package.json" ]]; then
  echo "node integration tests: $here/node_modules is missing; run scripts/setup.sh --test (or make setup-test)" >&2
  exit 1
fi
cd "$here"
STRATA_BINARY="$binary" exec node --test
