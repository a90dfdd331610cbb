#!/usr/bin/env bash
# make run: everything set up, then the site, a Celery worker and Celery beat.
# Ctrl-C stops what this run started.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.var/run.started
pids=()
cleanup() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
  ./scripts/services.sh down "$state"
}
trap cleanup EXIT INT TERM

./scripts/services.sh up "$state"
set -a; . .var/env.sh; set +a
./scripts/prepare.sh

.venv/bin/celery -A geocases worker --loglevel=INFO --concurrency=2 >.var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A geocases beat --loglevel=INFO --schedule=.var/celerybeat-schedule \
  >.var/log/beat.log 2>&1 &
pids+=($!)

password=$(.venv/bin/python -c 'import json; print(json.load(open("fixtures/demo_city.json"))["demo_password"])')
cat <<TXT

  geocases is running — the demo city of Stockholm

  Site            http://127.0.0.1:8000/
  Administration  http://127.0.0.1:8000/admin/
  Health          http://127.0.0.1:8000/healthz

  Demo log-ins (password for all: $password)
    admin         administrator
    agent         customer-service agent (Kundtjänst)
    handler       internal handler (Trafikkontoret, gata och park)
    planner       planner
    vinter-nord   contractor (Vinterväg Nord AB); also vinter-syd, avfall-ost,
                  avfall-vast, stadpark

  Celery worker and beat log to .var/log/. Ctrl-C stops everything.

TXT
.venv/bin/python manage.py runserver 127.0.0.1:8000
