#!/usr/bin/env bash
# A local cluster on this machine: one etcd and three brokers, each with its
# own node.id, ports and log dir under ./data/cluster. Runs in the foreground;
# Ctrl-C (or SIGTERM) stops the brokers cleanly, then etcd.
#   scripts/cluster.sh [BROKERS]   (3 by default)
# Broker N listens for Kafka clients on 127.0.0.1:909(1+N), serves metrics on
# 964(3+N) and the schema registry on 808(N); etcd on 127.0.0.1:2379.
set -euo pipefail
cd "$(dirname "$0")/.."

brokers=${1:-3}
root=data/cluster
binary=build/strata
mkdir -p "$root"
command -v etcd >/dev/null || { echo "cluster: etcd is missing (make setup-test installs etcd-server)" >&2; exit 1; }
[[ -x "$binary" ]] || { echo "cluster: $binary is missing (make build)" >&2; exit 1; }

pids=()
etcd_pid=""
stop_all() {
  trap - INT TERM EXIT
  # Brokers first, so that they leave the cluster while etcd still answers.
  ((${#pids[@]})) && kill -TERM "${pids[@]}" 2>/dev/null || true
  ((${#pids[@]})) && wait "${pids[@]}" 2>/dev/null || true
  [[ -n "$etcd_pid" ]] && kill -TERM "$etcd_pid" 2>/dev/null && wait "$etcd_pid" 2>/dev/null || true
}
trap stop_all INT TERM EXIT

etcd --name strata-local --data-dir "$root/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster strata-local=http://127.0.0.1:2380 >"$root/etcd.log" 2>&1 &
etcd_pid=$!
echo "cluster: etcd on 127.0.0.1:2379 (log $root/etcd.log)"

# Internal topics need as many live brokers as their replication factor (3
# by default, as in Kafka): a smaller local cluster gets smaller ones.
internal_rf=$(( brokers < 3 ? brokers : 3 ))
for n in $(seq "$brokers"); do
  port=$((9091 + n))
  "$binary" --config config/server.properties \
    --override node.id="$n" \
    --override listeners=PLAINTEXT://127.0.0.1:$port \
    --override advertised.listeners=PLAINTEXT://127.0.0.1:$port \
    --override admin.listeners=http://127.0.0.1:$((9643 + n)) \
    --override schema.registry.listeners=http://127.0.0.1:$((8080 + n)) \
    --override log.dirs="$root/broker-$n" \
    --override metadata.etcd.endpoints=http://127.0.0.1:2379 \
    --override offsets.topic.replication.factor=$internal_rf \
    --override schema.registry.topic.replication.factor=$internal_rf \
    2>"$root/broker-$n.log" &
  pids+=($!)
  echo "cluster: broker $n on 127.0.0.1:$port (log $root/broker-$n.log)"
done
echo "cluster: bootstrap servers 127.0.0.1:9092; Ctrl-C stops the cluster"
wait -n "$etcd_pid" "${pids[@]}" || true
echo "cluster: a process exited; stopping the rest"
