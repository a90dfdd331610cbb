#!/usr/bin/env bash
# make test: the same set-up as make run (without the server), then the checks
# and the whole test suite against real PostGIS and Redis. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.var/test.started
trap './scripts/services.sh down "$state"' EXIT
./scripts/services.sh up "$state"
set -a; . .var/env.sh; set +a
./scripts/prepare.sh

echo "[test] ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "[test] migrations match the models"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] npm ci (axe-core for the accessibility scan)"
  npm ci --no-audit --no-fund --silent
fi
echo "[test] pytest"
.venv/bin/pytest "$@"
