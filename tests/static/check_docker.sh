#!/usr/bin/env bash
# Static checks of docker/ (no container engine runs on the build machines):
# - every shared library the built broker links against comes from a Debian
#   package that the runtime image installs;
# - the files the compose file and Dockerfile reference exist;
# - the ports the image exposes are the ones config/server.properties uses.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
binary=${1:?usage: check_docker.sh path/to/strata}
dockerfile=$repo/docker/Dockerfile
compose=$repo/docker/docker-compose.yml
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

runtime_packages=$(sed -n '/^FROM debian:bookworm-slim/,$p' "$dockerfile" | tr ' \\' '\n\n' | grep -E '^lib[a-z0-9.+-]+$|^zlib1g$' | sort -u)
for lib in $(ldd "$binary" | awk '/=> \//{print $3}'); do
  real=$(readlink -f "$lib")
  pkg=$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1) || true
  [[ -z "$pkg" ]] && pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1) || true
  case "$pkg" in
    libc6|libgcc-s1|libstdc++6|"") continue ;;  # in every Debian image
  esac
  grep -qx "$pkg" <<<"$runtime_packages" || fail "$binary needs $lib from $pkg, which docker/Dockerfile does not install"
done

[[ -f "$repo/docker/prometheus.yml" ]] || fail "docker/prometheus.yml is missing"
grep -q "./prometheus.yml:/etc/prometheus/prometheus.yml" "$compose" || fail "compose does not mount prometheus.yml"
grep -q "dockerfile: docker/Dockerfile" "$compose" || fail "compose does not build docker/Dockerfile"
grep -q 'targets: \["strata:9644"\]' "$repo/docker/prometheus.yml" || fail "prometheus does not scrape strata:9644"

grep -q '^listeners=PLAINTEXT://0.0.0.0:9092$' "$repo/config/server.properties" || fail "server.properties listener is not :9092"
grep -q '^admin.listeners=http://0.0.0.0:9644$' "$repo/config/server.properties" || fail "server.properties admin listener is not :9644"
grep -q '^schema.registry.listeners=http://0.0.0.0:8081$' "$repo/config/server.properties" \
  || fail "server.properties schema registry listener is not :8081"
grep -q '^EXPOSE 9092 9644 8081$' "$dockerfile" || fail "the image does not expose 9092, 9644 and 8081"
grep -q '"9092:9092"' "$compose" || fail "compose does not publish 9092"
grep -q '"8081:8081"' "$compose" || fail "compose does not publish the schema registry's 8081"

# The cluster topology: three brokers of distinct node ids on one etcd, each
# advertising the name followers reach it by, all scraped by Prometheus.
cluster=$repo/docker/docker-compose.cluster.yml
[[ -f "$cluster" ]] || fail "docker/docker-compose.cluster.yml is missing"
[[ -f "$repo/docker/prometheus-cluster.yml" ]] || fail "docker/prometheus-cluster.yml is missing"
grep -q "./prometheus-cluster.yml:/etc/prometheus/prometheus.yml" "$cluster" || fail "the cluster compose does not mount prometheus-cluster.yml"
grep -q "dockerfile: docker/Dockerfile" "$cluster" || fail "the cluster compose does not build docker/Dockerfile"
grep -q -- "--advertise-client-urls=http://etcd:2379" "$cluster" || fail "etcd does not advertise http://etcd:2379"
for id in 1 2 3; do
  grep -q "^  strata-$id:" "$cluster" || fail "the cluster compose has no strata-$id"
  grep -q "node.id=$id, --override, metadata.etcd.endpoints=http://etcd:2379" "$cluster" \
    || fail "strata-$id is not node $id on http://etcd:2379"
  grep -q "advertised.listeners=PLAINTEXT://strata-$id:9092" "$cluster" || fail "strata-$id does not advertise strata-$id:9092"
  grep -q "\"strata-$id:9644\"" "$repo/docker/prometheus-cluster.yml" || fail "prometheus does not scrape strata-$id:9644"
done
[[ $(grep -c 'node.id=' "$cluster") -eq 3 ]] || fail "the cluster compose does not have exactly three brokers"

if ((failures)); then
  echo "docker checks: $failures failed"
  exit 1
fi
echo "docker checks passed"
