# Sourced by the scripts that fetch Java artifacts from Maven Central into
# .tools/ (scripts/fetch_kafka_tools.sh for the tests, bench/fetch_kafka_server.sh
# for the benchmark): one fetch at a time, skipped when its inputs are
# unchanged, and a libs directory that is either complete or absent.
#
# The caller sets `root` (the repository) before sourcing.

m2="$root/.tools/m2"
mvn_cmd=(mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$m2")

# fetch_lock NAME: holds .tools/.NAME.lock until the script exits, so that
# setup running from several shells at once fetches once.
fetch_lock() {
  mkdir -p "$root/.tools"
  exec 9>"$root/.tools/.$1.lock"
  flock 9
}

# fetch_fingerprint FILE...: the hash of the inputs that decide what is fetched
# (the calling script, its poms, this library).
fetch_fingerprint() {
  cat "$@" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1
}

# fetch_is_current STAMP FINGERPRINT DIR...: true when the last successful run
# had these inputs and its directories are still there.
fetch_is_current() {
  local stamp=$1 fingerprint=$2 dir
  shift 2
  [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" ]] || return 1
  for dir in "$@"; do [[ -d "$dir" ]] || return 1; done
}

# require_commands NAME COMMAND...: fails with a pointer to the setup script.
require_commands() {
  local name=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || {
      echo "$name: $tool not found (scripts/setup.sh --test installs maven and a JDK)" >&2
      exit 1
    }
  done
}

# copy_runtime_classpath POM LIBS: the pom's runtime dependencies into LIBS,
# swapped in whole so a failed fetch never leaves a half-filled directory.
copy_runtime_classpath() {
  local pom=$1 libs=$2
  mkdir -p "$(dirname "$libs")"
  rm -rf "$libs.new"
  "${mvn_cmd[@]}" -f "$pom" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs.new"
  rm -rf "$libs"
  mv "$libs.new" "$libs"
}

# write_log4j2 FILE LEVEL TARGET: a Log4j 2 configuration that prints LEVEL
# and above to TARGET (SYSTEM_OUT or SYSTEM_ERR), one line per event.
write_log4j2() {
  mkdir -p "$(dirname "$1")"
  cat > "$1" <<LOG4J
status = error
appender.console.type = Console
appender.console.name = CONSOLE
appender.console.target = $3
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = $2
rootLogger.appenderRef.console.ref = CONSOLE
LOG4J
}

# write_tools_log4j2 FILE: the command-line tools print warnings and errors
# only, to stderr, so their result lines on stdout stay parseable.
write_tools_log4j2() {
  write_log4j2 "$1" warn SYSTEM_ERR
}
