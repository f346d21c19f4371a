#!/usr/bin/env bash
# Installs what is missing, builds (incrementally after the first time) and
# starts Breakerboard: with no arguments the demo with its dashboard
# (`breakerboard --demo`); arguments are passed on to breakerboard.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh dev
if [ "$#" -eq 0 ]; then
  set -- --demo
fi
exec build/dev/app/breakerboard "$@"
