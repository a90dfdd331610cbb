# Sourced by run.sh and serve.sh (after setting $state): PostgreSQL and Redis
# up (and down again on exit if this run started them), the environment
# loaded, the database and demo city prepared, and every process the run
# starts in the background (its pid in "pids") stopped on exit or Ctrl-C.
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

# The Celery worker and beat, logging to .var/log/.
start_worker_and_beat() {
  mkdir -p .var/log
  .venv/bin/celery -A geocases worker --loglevel=INFO --concurrency=2 >.var/log/worker.log 2>&1 &
  pids+=($!)
  .venv/bin/celery -A geocases beat --loglevel=INFO --schedule=.var/celerybeat-schedule \
    >.var/log/beat.log 2>&1 &
  pids+=($!)
}
