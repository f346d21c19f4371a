#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (benchmarks
# excluded). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh dev
export QT_QPA_PLATFORM=offscreen
ctest --preset dev -j"$(nproc)"
