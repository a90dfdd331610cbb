#!/usr/bin/env bash
# make serve: the production set-up, locally — gunicorn (geocases/gunicorn_conf.py)
# with DEBUG off, compressed static files from WhiteNoise, a Celery worker and
# beat — on the demo city. Plain HTTP on 127.0.0.1, so no HTTPS redirect.
# Ctrl-C stops what this run started.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.var/serve.started
. ./scripts/start-services.sh  # prepared with the development settings: the demo log-ins
export DEBUG=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
.venv/bin/python manage.py collectstatic --no-input --clear -v 0  # hashed, compressed
start_worker_and_beat
echo "geocases (production set-up) on http://${BIND:-127.0.0.1:8000}/ — logs of worker and beat in .var/log/"
.venv/bin/gunicorn -c python:geocases.gunicorn_conf geocases.wsgi &
pids+=($!)
wait "${pids[-1]}"
