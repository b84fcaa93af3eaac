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
pom="$root/bench/kafka-server/pom.xml"
probes=("$root"/bench/kafka-server/*.java)
m2="$root/.tools/m2"
dest="$root/.tools/kafka-server"
stamp="$dest/.fetched"

mkdir -p "$dest"
exec 9>"$root/.tools/.fetch_kafka_server.lock"
flock 9

fingerprint=$(cat "$0" "$pom" "${probes[@]}" | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" && -d "$dest/libs" ]]; then
  exit 0
fi

for tool in mvn java javac; do
  command -v "$tool" >/dev/null || {
    echo "fetch_kafka_server: $tool not found (scripts/setup.sh --test installs maven and a JDK)" >&2
    exit 1
  }
done

echo "fetch_kafka_server: fetching Apache Kafka 4.1.1 from Maven Central into .tools/kafka-server/"

# 1. The runtime classpath, swapped in whole so a failed fetch never leaves a
#    half-filled libs directory behind.
rm -rf "$dest/libs.new"
mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$m2" -f "$pom" \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dest/libs.new"
rm -rf "$dest/libs"
mv "$dest/libs.new" "$dest/libs"

# 2. The probes.
rm -rf "$dest/classes"
mkdir -p "$dest/classes"
javac -nowarn -d "$dest/classes" -cp "$dest/libs/*" "${probes[@]}"

# 3. Logging. The broker logs at INFO (as Kafka's own config/log4j2.yaml does) to
#    standard output, which bench/compare keeps per run; the tools print
#    warnings and errors only, so their result lines stay parseable.
mkdir -p "$dest/config"
cat > "$dest/config/server-log4j2.properties" <<'LOG4J'
status = error
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = info
logger.kafkaapache.name = org.apache.kafka
logger.kafkaapache.level = info
LOG4J
cat > "$dest/config/tools-log4j2.properties" <<'LOG4J'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.err.ref = STDERR
LOG4J

# 4. A smoke check that the classpath holds the broker and the tools.
java -cp "$dest/libs/*" kafka.Kafka --version >/dev/null

echo "$fingerprint" > "$stamp"
echo "fetch_kafka_server: done"
