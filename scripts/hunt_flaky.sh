#!/usr/bin/env bash
# Runs tests over and over until one fails, to catch a flaky test before it
# lands (issue 19). Each run is a fresh broker, so a failure that shows up
# once in N runs shows up here.
#   scripts/hunt_flaky.sh [--count N] [--load] [--build DIR] CTEST_REGEX
#   scripts/hunt_flaky.sh [--count N] [--load] [--build DIR] --java CLASS[#method]
# --load keeps every core busy with a spinning process of lower priority for
# the whole hunt, as a second CI job or a noisy neighbour would: tests that
# assume timing fail much sooner under it. Exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

count=20 load=0 build=build java=""
while (($#)); do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --load) load=1; shift ;;
    --build) build=$2; shift 2 ;;
    --java) java=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
regex=${1:-}
if [[ -z "$java" && -z "$regex" ]]; then
  echo "hunt_flaky: name the tests (a ctest regex, or --java CLASS)" >&2
  exit 2
fi

spinners=()
stop_spinners() { ((${#spinners[@]})) && kill "${spinners[@]}" 2>/dev/null || true; }
trap stop_spinners EXIT
if ((load)); then
  for _ in $(seq "$(nproc)"); do
    nice -n 10 bash -c 'while :; do :; done' &
    spinners+=($!)
  done
  echo "hunt_flaky: ${#spinners[@]} spinning processes load the machine"
fi

if [[ -n "$java" ]]; then
  for i in $(seq "$count"); do
    echo "hunt_flaky: Java $java, run $i of $count"
    tests/integration/java/run_tests.sh "$PWD/$build/strata" "$PWD/$build/tests/integration/java/target" \
      "-Dtest=$java" -Dsurefire.failIfNoSpecifiedTests=true
  done
else
  ctest --test-dir "$build" --output-on-failure --no-tests=error -R "$regex" --repeat "until-fail:$count"
fi
echo "hunt_flaky: no failure in $count runs"
