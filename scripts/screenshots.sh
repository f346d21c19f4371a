#!/usr/bin/env bash
# Takes the README's pictures of the dashboard under Xvfb: the main window
# with a tripped service, the tile view, the threshold editor, the replay of
# the shipped incident and its what-if view, into resources/screenshots/.
# Uses the dev build (./run.sh or ./test.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/dev/app/breakerboard
[ -x "$binary" ] || scripts/setup.sh dev
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$binary" --demo --state-dir "$state" --proxy-listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
  --screenshots resources/screenshots
# The dashboard's replay of the shipped incident and its what-if view.
xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$binary" --replay resources/recordings/demo-incident.jsonl --what-if resources/config/demo-lenient.yaml \
  --screenshots resources/screenshots
ls -l resources/screenshots
