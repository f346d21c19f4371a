#!/usr/bin/env bash
# The Debian package as a user gets it: CPack builds it from this build tree;
# lintian, desktop-file-validate, systemd-analyze and man check its parts; it
# is unpacked into a temporary root, whose breakerboard then runs --version
# and check-config on the shipped configurations.
# Usage: tst_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack did not build the package"; }
version=$(sed -n 's/^project(Breakerboard VERSION \([0-9.]*\).*/\1/p' "$source/CMakeLists.txt")
deb="$work/out/breakerboard_${version}_amd64.deb"
[ -f "$deb" ] || fail "no $deb; cpack made: $(ls "$work/out")"

# Its dependencies come from the libraries the binary links.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6core6 libqt6widgets6 libqt6network6 libqt6charts6 libyaml-cpp0.7 libhiredis0.14 libssl3; do
  [[ "$depends" == *"$lib "* ]] || fail "Depends lacks $lib: $depends"
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version is not $version"

# lintian: no errors (warnings are shown).
lintian --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1 || true
cat "$work/lintian.log"
! grep -q '^E: ' "$work/lintian.log" || fail "lintian reports errors"

dpkg-deb -x "$deb" "$work/root"
root="$work/root"
for f in usr/bin/breakerboard usr/share/applications/breakerboard.desktop \
  usr/share/icons/hicolor/scalable/apps/breakerboard.svg usr/share/icons/hicolor/48x48/apps/breakerboard.png \
  usr/share/icons/hicolor/256x256/apps/breakerboard.png usr/share/man/man1/breakerboard.1.gz \
  usr/share/breakerboard/config/example.yaml usr/share/breakerboard/config/demo.yaml \
  usr/share/breakerboard/scenarios/default.yaml usr/share/breakerboard/recordings/demo-incident.jsonl \
  usr/share/breakerboard/grafana/breakerboard-dashboard.json usr/share/breakerboard/prometheus/breakerboard-alerts.yml \
  usr/share/doc/breakerboard/copyright usr/share/doc/breakerboard/changelog.gz \
  lib/systemd/system/breakerboard.service etc/breakerboard/breakerboard.yaml; do
  [ -f "$root/$f" ] || fail "the package lacks /$f"
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = "/etc/breakerboard/breakerboard.yaml" ] ||
  fail "/etc/breakerboard/breakerboard.yaml is not a conffile"

# The desktop entry.
out=$(desktop-file-validate "$root/usr/share/applications/breakerboard.desktop" 2>&1) ||
  fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate: $out"

# The unit, as systemd reads it; its binary is the unpacked one here.
unit="$work/unit/breakerboard.service"
mkdir -p "$work/unit"
grep -q '^ExecStart=/usr/bin/breakerboard --headless --config /etc/breakerboard/breakerboard.yaml ' \
  "$root/lib/systemd/system/breakerboard.service" || fail "ExecStart does not run /usr/bin/breakerboard headless"
sed "s|^ExecStart=/usr/bin/breakerboard|ExecStart=$root/usr/bin/breakerboard|" \
  "$root/lib/systemd/system/breakerboard.service" >"$unit"
out=$(MANPATH="$root/usr/share/man" systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
for key in 'DynamicUser=yes' 'User=breakerboard' 'StateDirectory=breakerboard' 'ProtectSystem=strict' 'NoNewPrivileges=yes'; do
  grep -qx "$key" "$unit" || fail "the unit lacks $key"
done

# The man page: no warnings from man, and every option the program lists.
out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$root/usr/share/man/man1/breakerboard.1.gz" 2>&1 >/dev/null) ||
  fail "man: $out"
[ -z "$out" ] || fail "man warns: $out"
page=$(zcat "$root/usr/share/man/man1/breakerboard.1.gz" | sed 's/\\-/-/g')
bin="$root/usr/bin/breakerboard"
helps=$( (QT_QPA_PLATFORM=offscreen "$bin" --help; "$bin" status --help; "$bin" set --help) 2>&1)
for option in $(grep -o -- '--[a-z][a-z-]*' <<<"$helps" | sort -u); do
  [[ "$option" == --help-all ]] && continue
  grep -q -- "$option" <<<"$page" || fail "the man page does not mention $option"
done
for command in check-config replay import status set; do
  grep -q -- "$command" <<<"$page" || fail "the man page does not mention the command $command"
done

# The unpacked program runs.
out=$("$bin" --version)
[[ "$out" =~ ^breakerboard\ ${version//./\\.}\ \(Qt\ 6\.[0-9]+\.[0-9]+\)$ ]] || fail "--version printed: $out"
for config in usr/share/breakerboard/config/example.yaml etc/breakerboard/breakerboard.yaml \
  usr/share/breakerboard/config/demo.yaml; do
  out=$("$bin" check-config "$root/$config" 2>&1) || fail "check-config $config: $out"
  [[ "$(tail -n 1 <<<"$out")" == OK:* ]] || fail "check-config $config printed: $out"
done
echo "PASS: $deb ($(stat -c %s "$deb") bytes): lintian, desktop entry, unit, man page, --version, check-config"
