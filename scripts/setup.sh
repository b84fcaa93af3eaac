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
  libboost-json1.81-dev libvalijson-dev libprotobuf-dev libprotoc-dev
  libre2-dev  # KIP-848 subscription regexes, matched as Kafka does (RE2 syntax, linear time)
  librdkafka-dev  # the C++ integration tests, which a default build (STRATA_BUILD_TESTS=ON) compiles
)
test_packages=(kcat python3-confluent-kafka python3-venv maven default-jdk-headless curl
  clang-14 libfuzzer-14-dev libclang-rt-14-dev nodejs)
test_packages+=(json-schema-test-suite)  # the JSON Schema format's unit test
test_packages+=(etcd-server)  # cluster metadata: the cluster tests start a real etcd
test_packages+=(iproute2 nftables)  # the fault tests cut brokers off: network namespaces, dropped packets

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

# The Python test clients live in a venv built from Debian's python3 (not
# whatever python3 is first on PATH), pinned by a requirements file. The venv
# records the hash of the file it was built from, so an unchanged file costs
# nothing and a changed one rebuilds the venv from scratch.
setup_python_venv() {
  local root venv req stamp want
  root="$(cd "$(dirname "$0")/.." && pwd)"
  venv="$root/.tools/venv"
  req="$root/tests/integration/python/requirements.txt"
  stamp="$venv/.requirements.sha256"
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  local py=python3
  [[ -x /usr/bin/python3 ]] && py=/usr/bin/python3
  echo "setup: creating $venv from $req"
  rm -rf "$venv"
  mkdir -p "$root/.tools"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input -r "$req"
  echo "$want" >"$stamp"
}

# Debian ships npm apart from nodejs (other builds of nodejs bundle it).
if [[ "${1:-}" == "--test" ]] && ! command -v npm >/dev/null; then
  echo "setup: installing npm"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm
fi

# The Node test clients, pinned by tests/integration/node/package-lock.json;
# reinstalled (npm ci) only when the lock file changed, like the venv above.
setup_node_modules() {
  local dir stamp want
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/integration/node"
  stamp="$dir/node_modules/.lock.sha256"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  echo "setup: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

if [[ "${1:-}" == "--test" ]]; then
  setup_python_venv
  setup_node_modules
  "$(dirname "$0")/fetch_kafka_tools.sh"
fi
