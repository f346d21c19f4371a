#!/usr/bin/env bash
# Installs what is missing, builds (incrementally after the first time) and
# starts Breakerboard. Arguments are passed on to breakerboard.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh dev
exec build/dev/app/breakerboard "$@"
