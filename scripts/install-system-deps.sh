#!/usr/bin/env bash
# Installs the operating-system packages geocases needs, and only those that
# are missing, so that a second run is fast and touches nothing.
#
#   PostgreSQL (if absent) and PostGIS 3 for the installed major version,
#   GDAL/GEOS/PROJ (GeoDjango loads them through ctypes), Redis,
#   gettext (compiles the Swedish/English translations).
#
# Extra packages can be named on the command line (the test set-up adds the
# browser used by the end-to-end tests). Debian and Ubuntu only; elsewhere it
# says what to install and stops.
set -euo pipefail

say() { printf '[system] %s\n' "$*"; }

if ! command -v apt-get >/dev/null 2>&1; then
  say "This is not a Debian/Ubuntu machine (no apt-get)."
  say "Install PostgreSQL with PostGIS 3, GDAL, Redis and gettext yourself, then run make again."
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  as_root=()
fi

pg_major() {
  # The major version of the PostgreSQL server installed from packages.
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1
}

missing=()
want() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }

major=$(pg_major)
if [ -z "$major" ]; then
  want postgresql
  want postgresql-contrib
fi
[ -n "$major" ] && want "postgresql-${major}-postgis-3"
want gdal-bin
if ! command -v python3.11 >/dev/null 2>&1; then
  want python3.11
  want python3.11-venv
elif ! python3.11 -c 'import ensurepip' >/dev/null 2>&1; then
  want python3.11-venv
fi
want redis-server
want gettext
for extra in "$@"; do want "$extra"; done

if [ ${#missing[@]} -eq 0 ] && [ -n "$major" ]; then
  say "all system packages present (PostgreSQL ${major})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] && [ ${#as_root[@]} -eq 0 ]; then
  say "Missing packages: ${missing[*]}"
  say "Run make as root, install sudo, or install them yourself: apt-get install ${missing[*]}"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
say "installing: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# PostgreSQL was absent: its PostGIS package can only be named now.
if [ -z "$major" ]; then
  major=$(pg_major)
  say "PostgreSQL ${major} installed; adding PostGIS"
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "postgresql-${major}-postgis-3" >/dev/null
fi
say "done"
