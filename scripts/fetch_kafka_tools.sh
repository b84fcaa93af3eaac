#!/usr/bin/env bash
# Fetches Apache Kafka's Java client and command-line tools from Maven Central
# for the integration tests, and everything the Java test suite needs so that it
# can run with `mvn -o`:
#
#   .tools/m2/                 Maven repository used by the tests (offline)
#   .tools/kafka/libs/         kafka-clients, kafka-tools, kafka_2.13 and their runtime classpath
#   .tools/kafka/config/       quiet Log4j 2 configuration for the tools
#   .tools/kafka/bin/          kafka-topics.sh, kafka-configs.sh,
#                              kafka-console-producer.sh, kafka-console-consumer.sh,
#                              kafka-consumer-groups.sh, kafka-reassign-partitions.sh,
#                              kafka-leader-election.sh, kafka-log-dirs.sh
#
# Idempotent: when the poms and this script are unchanged since the last
# successful run, it returns at once.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib/maven_fetch.sh"
tools_pom="$root/tools/kafka-tools/pom.xml"
tests_pom="$root/tests/integration/java/pom.xml"
kafka="$root/.tools/kafka"
stamp="$kafka/.fetched"

fetch_lock fetch_kafka_tools
fingerprint=$(fetch_fingerprint "$0" "$tools_pom" "$tests_pom")
fetch_is_current "$stamp" "$fingerprint" "$m2" "$kafka/libs" && exit 0
require_commands fetch_kafka_tools mvn java

echo "fetch_kafka_tools: fetching Kafka tools from Maven Central into .tools/"

# 1. The tools' runtime classpath.
copy_runtime_classpath "$tools_pom" "$kafka/libs"

# 2. Logging: warnings and errors to stderr, nothing else.
write_tools_log4j2 "$kafka/config/tools-log4j2.properties"
mkdir -p "$kafka/bin"

# 3. Wrappers. run-class.sh puts every jar in libs/ on the classpath; each tool
#    script names its main class.
cat > "$kafka/bin/run-class.sh" <<'RUN'
#!/usr/bin/env bash
# Usage: run-class.sh <main class> [args...]
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
java=java
[[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
main=$1
shift
# Short-lived tools: small heap, fast start-up.
heap_opts=${KAFKA_HEAP_OPTS:--Xmx256m}
jvm_opts=${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true}
# shellcheck disable=SC2086
exec "$java" $heap_opts $jvm_opts \
  -Dlog4j2.configurationFile="$home/config/tools-log4j2.properties" \
  ${KAFKA_OPTS:-} -cp "$home/libs/*" "$main" "$@"
RUN

write_tool() {
  local name=$1 main=$2
  printf '#!/usr/bin/env bash\nexec "$(dirname "${BASH_SOURCE[0]}")/run-class.sh" %s "$@"\n' "$main" \
    > "$kafka/bin/$name"
}
write_tool kafka-topics.sh org.apache.kafka.tools.TopicCommand
write_tool kafka-configs.sh kafka.admin.ConfigCommand
write_tool kafka-console-producer.sh org.apache.kafka.tools.ConsoleProducer
write_tool kafka-console-consumer.sh org.apache.kafka.tools.consumer.ConsoleConsumer
write_tool kafka-consumer-groups.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
write_tool kafka-reassign-partitions.sh org.apache.kafka.tools.reassign.ReassignPartitionsCommand
write_tool kafka-leader-election.sh org.apache.kafka.tools.LeaderElectionCommand
write_tool kafka-log-dirs.sh org.apache.kafka.tools.LogDirsCommand
chmod +x "$kafka/bin/"*.sh

# 4. Everything the Java tests need (dependencies, compiler, Surefire and its
#    JUnit Platform provider), resolved by compiling the suite and running the
#    one test class that needs no broker; the output goes to a scratch directory.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"${mvn_cmd[@]}" -f "$tests_pom" test -Dstrata.build.dir="$scratch/target" \
  -Dtest=HarnessTest

# 5. A smoke check that the wrappers start.
"$kafka/bin/kafka-topics.sh" --version >/dev/null

echo "$fingerprint" > "$stamp"
echo "fetch_kafka_tools: done"
