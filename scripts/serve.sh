#!/usr/bin/env bash
# make serve: the production set-up, locally — gunicorn (geocases/gunicorn_conf.py)
# with DEBUG off, compressed static files from WhiteNoise, a Celery worker and
# beat — on the demo city. Plain HTTP on 127.0.0.1, so no HTTPS redirect.
# Ctrl-C stops what this run started.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.var/serve.started
pids=()
cleanup() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
  ./scripts/services.sh down "$state"
}
trap cleanup EXIT INT TERM

./scripts/services.sh up "$state"
set -a; . .var/env.sh; set +a
./scripts/prepare.sh  # with the development settings: the demo city and its log-ins
export DEBUG=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
.venv/bin/python manage.py collectstatic --no-input --clear -v 0  # hashed, compressed
mkdir -p .var/log
.venv/bin/celery -A geocases worker --loglevel=INFO --concurrency=2 >.var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A geocases beat --loglevel=INFO --schedule=.var/celerybeat-schedule \
  >.var/log/beat.log 2>&1 &
pids+=($!)
echo "geocases (production set-up) on http://${BIND:-127.0.0.1:8000}/ — logs of worker and beat in .var/log/"
.venv/bin/gunicorn -c python:geocases.gunicorn_conf geocases.wsgi &
pids+=($!)
wait "${pids[-1]}"
