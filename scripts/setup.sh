#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs the Debian packages Breakerboard
# needs (only those missing), then configures and builds with a preset.
# Usage: scripts/setup.sh PRESET
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev
  libyaml-cpp-dev prometheus-cpp-dev libboost-dev libsimdjson-dev
  xvfb xauth nginx wrk prometheus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset"
fi
cmake --build --preset "$preset"
