#!/usr/bin/env bash
# Installs everything Strata needs to build and test, on a fresh Debian bookworm
# machine. Idempotent: packages already present are skipped, so a second run is
# a no-op that takes a second.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ ccache python3 pkg-config
  libboost1.81-dev libspdlog-dev libfmt-dev librocksdb-dev prometheus-cpp-dev
  libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
test_packages=(librdkafka-dev kcat python3-confluent-kafka maven default-jdk-headless curl)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" ]]; then
  "$(dirname "$0")/fetch_kafka_tools.sh"
fi
