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
  libyaml-cpp-dev prometheus-cpp-dev libboost-dev libsimdjson-dev libssl-dev
  xvfb xauth nginx haproxy wrk prometheus openssl redis-server libhiredis-dev
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  dpkg-dev file lintian desktop-file-utils systemd man-db
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
  # nginx, HAProxy, Prometheus and Redis are tools for the tests and benchmarks,
  # started by them on loopback ports: a system service that installing them
  # started is stopped and disabled again. Services installed before are
  # left alone.
  for service in nginx haproxy prometheus redis-server; do
    [[ " ${missing[*]} " == *" $service "* ]] || continue
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
      echo "Stopping the $service system service that installing it started"
      $sudo systemctl stop "$service" || true
      $sudo systemctl disable --quiet "$service" || true
    elif command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then
      echo "Stopping the $service system service that installing it started"
      $sudo service "$service" stop || true
    fi
  done
fi

if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset"
fi
cmake --build --preset "$preset"
