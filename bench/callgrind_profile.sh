#!/bin/bash
# Instruction counts of the broker's produce and fetch paths (docs/performance.md).
# Starts build/strata (or $STRATA_BIN) under callgrind, creates a 16-partition
# topic, then zeroes the counters and dumps them around one ProducerPerformance
# run (acks=all, compression none) and one ConsumerPerformance run reading the
# records back (classic group; a 1-record warm-up consumer creates
# __consumer_offsets outside the window). Counts do not depend on machine load.
# Usage: bench/callgrind_profile.sh OUT_DIR RECORDS RECORD_SIZE
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1 N=$2 SIZE=$3
BIN=${STRATA_BIN:-$ROOT/build/strata}
K=$ROOT/.tools/kafka-server
command -v valgrind > /dev/null || { echo "valgrind is not installed" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN not found: build it first" >&2; exit 1; }
"$ROOT/bench/fetch_kafka_server.sh"
rm -rf "$OUT"; mkdir -p "$OUT/data"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=127.0.0.1:$PORT
tool() { java -Xmx512M -Dlog4j2.configurationFile="$K/config/tools-log4j2.properties" -cp "$K/libs/*" "$@"; }
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.%p.out" "$BIN" \
    --override log.dirs="$OUT/data" --override listeners=PLAINTEXT://$B \
    --override advertised.listeners=PLAINTEXT://$B --override admin.listeners= \
    --override schema.registry.listeners=http://127.0.0.1:0 > "$OUT/broker.log" 2>&1 &
VP=$!
trap 'kill -TERM $VP 2> /dev/null || true' EXIT
for _ in $(seq 120); do (echo > /dev/tcp/127.0.0.1/$PORT) 2> /dev/null && break; sleep 1; done
tool org.apache.kafka.tools.TopicCommand --bootstrap-server $B --create --topic t --partitions 16 \
    --replication-factor 1 > "$OUT/create.out" 2>&1
echo "group.protocol=classic" > "$OUT/consumer.properties"
consume() {
    tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server $B --topic t --messages "$1" \
        --timeout 60000 --consumer.config "$OUT/consumer.properties"
}
callgrind_control -z $VP > /dev/null
tool org.apache.kafka.tools.ProducerPerformance --topic t --num-records "$N" --record-size "$SIZE" \
    --throughput -1 --producer-props bootstrap.servers=$B acks=all compression.type=none > "$OUT/produce.out" 2>&1
callgrind_control -d produce $VP > /dev/null
consume 1 > "$OUT/warm-up.out" 2>&1
callgrind_control -z $VP > /dev/null
consume "$N" > "$OUT/consume.out" 2>&1
callgrind_control -d consume $VP > /dev/null
kill -TERM $VP; wait $VP || true
trap - EXIT
for f in "$OUT"/callgrind.*.out.*; do
    ir=$(sed -n 's/^summary: //p' "$f")
    echo "$(sed -n 's/^desc: Trigger: dump //p' "$f"): $ir instructions, $((ir / N)) per record"
done
