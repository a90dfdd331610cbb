#!/usr/bin/env bash
# make run: everything set up, then the site, a Celery worker and Celery beat.
# Ctrl-C stops what this run started.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.var/run.started
. ./scripts/start-services.sh
start_worker_and_beat

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
