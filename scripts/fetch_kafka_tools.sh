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
#                              kafka-consumer-groups.sh
#
# Idempotent: when the poms and this script are unchanged since the last
# successful run, it returns at once.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools_pom="$root/tools/kafka-tools/pom.xml"
tests_pom="$root/tests/integration/java/pom.xml"
m2="$root/.tools/m2"
kafka="$root/.tools/kafka"
stamp="$kafka/.fetched"

mkdir -p "$kafka"
# One fetch at a time (setup may run from several shells at once).
exec 9>"$root/.tools/.fetch_kafka_tools.lock"
flock 9

fingerprint=$(cat "$0" "$tools_pom" "$tests_pom" | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" && -d "$m2" && -d "$kafka/libs" ]]; then
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch_kafka_tools: mvn not found (scripts/setup.sh --test installs it)" >&2; exit 1; }
command -v java >/dev/null || { echo "fetch_kafka_tools: java not found" >&2; exit 1; }

mvn_cmd=(mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$m2")
echo "fetch_kafka_tools: fetching Kafka tools from Maven Central into .tools/"

# 1. The tools' runtime classpath, swapped in whole so a failed fetch never
#    leaves a half-filled libs directory behind.
rm -rf "$kafka/libs.new"
"${mvn_cmd[@]}" -f "$tools_pom" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$kafka/libs.new"
rm -rf "$kafka/libs"
mv "$kafka/libs.new" "$kafka/libs"

# 2. Logging: warnings and errors to stderr, nothing else.
mkdir -p "$kafka/config" "$kafka/bin"
cat > "$kafka/config/tools-log4j2.properties" <<'LOG4J'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.err.ref = STDERR
LOG4J

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
