#!/usr/bin/env bash
# run_fuzz.sh TARGET REGRESSION_DIR SEED_DIR
# Replays every input in REGRESSION_DIR (crashes found earlier; each must now
# pass), then fuzzes TARGET for FUZZ_SECONDS seconds (10 by default) starting
# from SEED_DIR plus the corpus earlier runs grew in the build directory.
# Crashing inputs are written to ./artifacts/ of the working directory.
set -euo pipefail
target=$1 regressions=$2 seeds=$3
seconds=${FUZZ_SECONDS:-10}
name=$(basename "$target")
work="$PWD/corpus-work/$name"
mkdir -p "$work" "$PWD/artifacts"
if compgen -G "$regressions/*" >/dev/null; then
  "$target" -runs=1 "$regressions"/*
fi
# New inputs go to the first directory only; the seeds stay untouched.
log="$PWD/$name.log"
set +e
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -print_final_stats=1 -artifact_prefix="$PWD/artifacts/$name-" "$work" "$seeds" >"$log" 2>&1
status=$?
set -e
# Everything but libFuzzer's progress lines: the summary, or the crash report.
grep -av '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\|INITED\)' "$log" | tail -n 200 || true
exit "$status"
