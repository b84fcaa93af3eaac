#!/usr/bin/env bash
# Fetches Apache Kafka 4.1.1 (the broker in KRaft mode and its performance
# tools) from Maven Central for the side-by-side benchmark, bench/compare:
#
#   .tools/kafka-server/libs/      kafka_2.13 (broker, StorageTool), kafka-tools
#                                  (ProducerPerformance, ConsumerPerformance,
#                                  EndToEndLatency, TopicCommand) and their
#                                  runtime classpath
#   .tools/kafka-server/classes/   the probes in bench/kafka-server/*.java: FirstAck (start-up)
#                                  and FixedRateEndToEnd (latency at a fixed rate)
#   .tools/kafka-server/config/    Log4j 2 configurations for the broker and the tools
#
# Idempotent: when this script, the pom and the probe are unchanged since the
# last successful run, it returns at once.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib/maven_fetch.sh"
pom="$root/bench/kafka-server/pom.xml"
probes=("$root"/bench/kafka-server/*.java)
dest="$root/.tools/kafka-server"
stamp="$dest/.fetched"

fetch_lock fetch_kafka_server
fingerprint=$(fetch_fingerprint "$0" "$pom" "${probes[@]}")
fetch_is_current "$stamp" "$fingerprint" "$dest/libs" && exit 0
require_commands fetch_kafka_server mvn java javac

echo "fetch_kafka_server: fetching Apache Kafka 4.1.1 from Maven Central into .tools/kafka-server/"

# 1. The runtime classpath.
copy_runtime_classpath "$pom" "$dest/libs"

# 2. The probes.
rm -rf "$dest/classes"
mkdir -p "$dest/classes"
javac -nowarn -d "$dest/classes" -cp "$dest/libs/*" "${probes[@]}"

# 3. Logging. The broker logs at INFO (as Kafka's own config/log4j2.yaml does) to
#    standard output, which bench/compare keeps per run; the tools print
#    warnings and errors only.
write_log4j2 "$dest/config/server-log4j2.properties" info SYSTEM_OUT
write_tools_log4j2 "$dest/config/tools-log4j2.properties"

# 4. A smoke check that the classpath holds the broker and the tools.
java -cp "$dest/libs/*" kafka.Kafka --version >/dev/null

echo "$fingerprint" > "$stamp"
echo "fetch_kafka_server: done"
