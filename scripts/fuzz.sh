#!/usr/bin/env bash
# Fuzzes one harness of tests/fuzz for a set time: installs what is missing
# and builds the fuzz preset (clang-14, libFuzzer, ASan + UBSan) through
# setup.sh, then runs build/fuzz/tests/fuzz/fuzz_NAME. The repository's seed
# corpus is only read; new inputs go to build/fuzz/corpus-new/NAME and
# crashes to build/fuzz/crashes/NAME. Exits non-zero when the run found a
# crash, a leak, a timeout or an out-of-memory, and names the file that
# reproduces it (replay with: build/fuzz/tests/fuzz/fuzz_NAME FILE).
# Usage: scripts/fuzz.sh NAME [SECONDS]   (NAME: request, response, config,
# recording, admin, events, cacheentry or sharedrecord; SECONDS defaults to $FUZZ_SECONDS, else 300)
set -euo pipefail
cd "$(dirname "$0")/.."

names="request response config recording admin events cacheentry sharedrecord"
name=${1:-}
if [ -z "$name" ] || [[ " $names " != *" $name "* ]]; then
  echo "usage: $0 NAME [SECONDS]   (NAME: ${names// /, })" >&2
  exit 2
fi
seconds=${2:-${FUZZ_SECONDS:-300}}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "$0: SECONDS must be a whole number of seconds, got '$seconds'" >&2
  exit 2
fi

# Several fuzzers may start at once: one builds, the others wait for it.
mkdir -p build
flock build/.fuzz-build.lock scripts/setup.sh fuzz

corpus=tests/fuzz/corpus/$name
found=build/fuzz/corpus-new/$name
crashes=build/fuzz/crashes/$name
mkdir -p "$found" "$crashes"
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT

echo "fuzz.sh: fuzzing $name for ${seconds}s (seeds: $corpus, new inputs: $found)"
status=0
# The first directory receives what the run finds; the seeds are read only.
build/fuzz/tests/fuzz/fuzz_"$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$crashes/" -print_final_stats=1 "$found" "$corpus" || status=$?

artifacts=$(find "$crashes" -type f -newer "$stamp" | sort)
if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
  echo "fuzz.sh: fuzz_$name failed (exit status $status)" >&2
  for f in $artifacts; do
    echo "fuzz.sh: reproducer: $f (replay: build/fuzz/tests/fuzz/fuzz_$name $f)" >&2
  done
  exit 1
fi
echo "fuzz.sh: fuzz_$name: no crash in ${seconds}s; $(find "$found" -type f | wc -l) new inputs in $found"
