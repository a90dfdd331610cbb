#!/usr/bin/env bash
# The database and application set-up shared by "make run" and "make test":
# create the database with PostGIS, migrate, compile translations, load the
# demo city. Expects the environment from .var/env.sh. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
$py manage.py db_ensure
$py manage.py migrate --no-input -v 0
$py manage.py compilemessages --ignore=.venv --ignore=.var -v 0
$py manage.py collectstatic --no-input --clear -v 0
$py manage.py demo_load
