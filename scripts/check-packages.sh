#!/usr/bin/env bash
# Checks that every Debian package a build actually used (CMake package files,
# linked libraries, build tools, headers) is installed by the packages=( ... )
# list in scripts/setup.sh or by that list's Depends/Pre-Depends closure
# without Recommends, as `apt-get install --no-install-recommends` gives a new
# user. A package present here only by accident (pulled in as a Recommends,
# installed by hand) then fails this test instead of a new user's first build:
# libqt6opengl6-dev, needed by Qt6Charts' CMake config, was only a Recommends
# of qt6-base-dev.
# Usage: scripts/check-packages.sh BUILD_DIR   (a configured and built Ninja
# build directory). SETUP_SCRIPT=FILE reads the list from FILE instead.
# Exit status: 0 all covered, 1 packages missing from the list or files no
# package owns, 2 usage error.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build_dir=$(realpath -m -- "$1")
if [ ! -f "$build_dir/build.ninja" ]; then
  echo "check-packages: $build_dir/build.ninja not found: give a configured Ninja build directory" >&2
  exit 2
fi
repo_dir=$(realpath -- "$(dirname -- "$0")/..")
setup_script=${SETUP_SCRIPT:-$repo_dir/scripts/setup.sh}
if [ ! -f "$setup_script" ]; then
  echo "check-packages: setup script $setup_script not found" >&2
  exit 2
fi

cache_value() {
  if [ -f "$build_dir/CMakeCache.txt" ]; then
    sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt" | head -n 1
  fi
}
source_dir=$(cache_value CMAKE_HOME_DIRECTORY)
source_dir=$(realpath -m -- "${source_dir:-$repo_dir}")
ninja=$(cache_value CMAKE_MAKE_PROGRAM)
ninja=${ninja:-ninja}
cxx=$(cache_value CMAKE_CXX_COMPILER)
cxx=${cxx:-g++}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- 1. Files the build read, CMake files first: a new user's build fails at
# configure time first, so they make the most telling examples.
"$ninja" -C "$build_dir" -t commands | tr -s ' \t' '\n' | sort -u > "$tmp/tokens"
{
  # CMake files read at configure time: the inputs after `|` of the
  # RERUN_CMAKE statement (continued over lines ending in an unescaped `$`;
  # `$ `, `$:` and `$$` are Ninja escapes).
  awk '
    /^build .*: RERUN_CMAKE/ { on = 1; stmt = "" }
    on {
      line = $0
      match(line, /\$+$/)
      if (RLENGTH > 0 && RLENGTH % 2 == 1) { stmt = stmt substr(line, 1, length(line) - 1); next }
      stmt = stmt line; on = 0
      sub(/^.*: RERUN_CMAKE/, "", stmt)
      if (!sub(/^[^|]*\| /, "", stmt)) next
      sub(/ \|\|.*$/, "", stmt)
      gsub(/\$\$/, "\002", stmt); gsub(/\$ /, "\001", stmt); gsub(/\$:/, ":", stmt)
      n = split(stmt, f, /[ \t]+/)
      for (i = 1; i <= n; i++) {
        gsub(/\001/, " ", f[i]); gsub(/\002/, "$", f[i])
        if (f[i] != "") print f[i]
      }
    }' "$build_dir/build.ninja"

  # Libraries linked by path, and tools run by path (compiler, ar, cmake).
  grep -E '^/.*\.(so(\.[0-9]+)*|a)$' "$tmp/tokens" || true
  { grep '^/' "$tmp/tokens" || true; } | while IFS= read -r path; do
    if [ -f "$path" ] && [ -x "$path" ]; then echo "$path"; fi
  done
  # Libraries linked by -lNAME / -l:FILE, resolved as the compiler would.
  { grep -E '^-l.' "$tmp/tokens" || true; } | while IFS= read -r flag; do
    name=${flag#-l}
    if [ "${name#:}" != "$name" ]; then candidates=("${name#:}"); else candidates=("lib$name.so" "lib$name.a"); fi
    resolved=""
    for file in "${candidates[@]}"; do
      found=$("$cxx" -print-file-name="$file")
      if [ "${found#/}" != "$found" ]; then resolved=$found; break; fi
    done
    if [ -n "$resolved" ]; then echo "$resolved"; else echo "check-packages: note: cannot resolve $flag, skipped" >&2; fi
  done
  # Tools CMake's AUTOMOC/AUTORCC run from their info files (moc, rcc).
  find "$build_dir" -path '*_autogen.dir/*Info.json' -exec \
    sed -n 's/^.*"[A-Z_]*EXECUTABLE"[[:space:]]*:[[:space:]]*"\(\/[^"]*\)".*$/\1/p' {} +

  # Headers, as recorded by the compiler's depfiles.
  "$ninja" -C "$build_dir" -t deps | sed -n 's/^[[:space:]]\{1,\}\(\/.*\)$/\1/p'
} | awk '/^\// && !seen[$0]++' > "$tmp/raw"

# Normalise `..` without resolving symlinks (which package owns the symlink
# the build named matters), then drop the project's own files.
xargs -r -d '\n' realpath -m -s -- < "$tmp/raw" \
  | awk -v src="$source_dir/" -v bld="$build_dir/" \
      'index($0, src) != 1 && index($0, bld) != 1 && !seen[$0]++' > "$tmp/files"
if [ ! -s "$tmp/files" ]; then
  echo "check-packages: found no system files in $build_dir: is it built?" >&2
  exit 1
fi

# --- 2. Owning packages, one batched dpkg-query call. With merged /usr a file
# read as /usr/lib/x/libc.so.6 may be registered as /lib/x/libc.so.6, and a
# path may be an alternatives symlink (/usr/bin/c++), so each file is tried
# as named, with /usr toggled, then resolved, with /usr toggled.
xargs -r -d '\n' realpath -m -- < "$tmp/files" > "$tmp/real"
paste "$tmp/files" "$tmp/real" | awk -F '\t' '
  function toggle(p) {
    if (p ~ /^\/usr\/(bin|sbin|lib|lib32|lib64|libx32)\//) return substr(p, 5)
    if (p ~ /^\/(bin|sbin|lib|lib32|lib64|libx32)\//) return "/usr" p
    return p
  }
  { print $1 "\t" $1 "\t" toggle($1) "\t" $2 "\t" toggle($2) }' > "$tmp/candidates"
cut -f 2- "$tmp/candidates" | tr '\t' '\n' | sort -u > "$tmp/queries"
xargs -r -d '\n' dpkg-query -S < "$tmp/queries" > "$tmp/owned" 2> "$tmp/dpkg-errors" || true
if grep -v '^dpkg-query: no path found matching pattern ' "$tmp/dpkg-errors" >&2; then
  echo "check-packages: dpkg-query -S failed" >&2
  exit 1
fi
# "pkg:arch, pkg2: /path" -> "/path<TAB>pkg pkg2"; first owned candidate wins.
awk -F '\t' '
  NR == FNR {
    if ($0 ~ /^diversion by /) next
    i = index($0, ": "); owners = substr($0, 1, i - 1); path = substr($0, i + 2)
    gsub(/:[a-z0-9-]+/, "", owners); gsub(/, /, " ", owners)
    owner[path] = owners; next
  }
  {
    for (i = 2; i <= NF; i++) if ($i in owner) { print $1 "\t" owner[$i]; next }
    print $1 "\t"
  }' "$tmp/owned" "$tmp/candidates" > "$tmp/file-owners"

# --- 3. Allowed packages: the setup list, read from the script's text, plus
# Essential packages, closed over Depends and Pre-Depends among installed
# packages (dpkg status only, no apt lists). Of `a | b` the first installed
# alternative counts, as apt would pick it on a fresh machine; a virtual
# package counts as its installed providers.
awk '
  /^[[:space:]]*packages=\(/ { on = 1; sub(/^[^(]*\(/, "") }
  on {
    done = sub(/\).*$/, "")
    sub(/#.*$/, "")
    n = split($0, w, /[[:space:]]+/)
    for (i = 1; i <= n; i++) if (w[i] != "") print w[i]
    if (done) exit
  }' "$setup_script" > "$tmp/roots"
if [ ! -s "$tmp/roots" ]; then
  echo "check-packages: no packages=( ... ) list found in $setup_script" >&2
  exit 1
fi
dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Essential}\t${Provides}\t${Pre-Depends}, ${Depends}\n' \
  > "$tmp/status"
awk -F '\t' '
  function bare(d) { sub(/\(.*$/, "", d); sub(/:.*$/, "", d); gsub(/[[:space:]]/, "", d); return d }
  function add(p) { if (!(p in queued)) { queued[p] = 1; queue[++tail] = p } }
  # Adds what satisfies dependency d; returns 0 if nothing installed does.
  function satisfy(d,    n, v, i) {
    if (d in installed) { add(d); return 1 }
    if (!(d in providers)) return 0
    n = split(providers[d], v, " ")
    for (i = 1; i <= n; i++) add(v[i])
    return 1
  }
  NR == FNR { root[$1] = 1; next }
  substr($1, 2, 1) == "i" {
    installed[$2] = 1
    deps[$2] = deps[$2] ", " $5
    if ($3 == "yes") root[$2] = 1
    n = split($4, v, ",")
    for (i = 1; i <= n; i++) if ((p = bare(v[i])) != "") providers[p] = providers[p] " " $2
  }
  END {
    for (r in root)
      if (!satisfy(r)) printf "check-packages: note: %s is listed but not installed here\n", r > "/dev/stderr"
    for (head = 1; head <= tail; head++) {
      n = split(deps[queue[head]], clause, ",")
      for (i = 1; i <= n; i++) {
        m = split(clause[i], alt, "|")
        for (j = 1; j <= m; j++) if ((d = bare(alt[j])) != "" && satisfy(d)) break
      }
    }
    for (p in queued) if (p in installed) print p
  }' "$tmp/roots" "$tmp/status" > "$tmp/allowed"

# --- 4. Report.
awk -F '\t' -v setup="$setup_script" -v nfiles="$(wc -l < "$tmp/files")" '
  NR == FNR { allowed[$1] = 1; next }
  $2 == "" { unowned[++nu] = $1; next }
  {
    n = split($2, owners, " ")
    for (i = 1; i <= n; i++) if (owners[i] in allowed) { used[owners[i]] = 1; next }
    key = owners[1]; for (i = 2; i <= n; i++) key = key " or " owners[i]
    if (!(key in example)) { example[key] = $1; order[++nm] = key }
  }
  END {
    for (i = 1; i <= nu; i++) {
      cmd = "test -e \"" unowned[i] "\""
      why = (system(cmd) == 0) ? "no Debian package owns it" : "it no longer exists: rebuild"
      printf "check-packages: %s was used by the build but %s\n", unowned[i], why
    }
    for (i = 1; i <= nm; i++)
      printf "check-packages: %s is used (e.g. %s) but neither listed in %s nor a Depends of a listed package\n", order[i], example[order[i]], setup
    if (nu + nm > 0) exit 1
    np = 0; for (p in used) np++
    printf "check-packages: OK: %d system files the build used come from %d packages, all installed by %s (closure of its list, no Recommends)\n", nfiles, np, setup
  }' "$tmp/allowed" "$tmp/file-owners"
