#!/usr/bin/env bash
# make bench-<name>: the same services as make test, then bench/<name>.py.
# Benchmarks work in a database of their own and print their figures.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"; shift
state=.var/bench.started
trap './scripts/services.sh down "$state"' EXIT
./scripts/services.sh up "$state"
set -a; . .var/env.sh; set +a
# Timed as served: DEBUG off (with it on, Django logs every query and checks
# every signal receiver, a good part of a short request), so the static
# files are collected as in production.
export DEBUG=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
.venv/bin/python manage.py collectstatic --no-input --clear -v 0
if [ "$name" = insights ]; then
  command -v npm >/dev/null || ./scripts/install-system-deps.sh nodejs npm
fi
if [ "$name" = insights ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund --silent  # supercluster, for bench-insights
fi
.venv/bin/python "bench/$name.py" "$@"
