#!/usr/bin/env bash
# `make run`: the development server, one task worker per queue, the journal
# sealer and the periodic jobs' scheduler.
#
# Restart-safe: a lock (flock on var/run.lock) refuses a second copy before
# anything touches the database; TERM, INT or the end of any child stops
# every process this script started, and only those; the pid files under
# var/run/ belong to this copy alone.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
VAR="${TITRES_VAR_DIR:-var}"
RUN_DIR="$VAR/run"
mkdir -p "$RUN_DIR"

exec 9>"$VAR/run.lock"
if ! flock -n 9; then
  echo "make run est déjà lancé (pid $(cat "$RUN_DIR/run.pid" 2>/dev/null || echo '?')) : arrêtez-le d'abord (kill -TERM)." >&2
  exit 1
fi
echo $$ >"$RUN_DIR/run.pid"

export DEBUG="${DEBUG:-1}" SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
children=()
stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null; done
  rm -f "$RUN_DIR"/*.pid
}
trap 'stop; exit 0' TERM INT
trap stop EXIT

$PY manage.py migrate --no-input -v 0 || exit 1
$PY manage.py load_demo || exit 1

for queue in default mail documents production; do
  $PY manage.py task_worker --queue-name "$queue" --interval 1 --no-reload \
    --worker-id "run-$queue-$$" &
  children+=($!)
  echo $! >"$RUN_DIR/worker-$queue.pid"
done
# The audit journal's one sealer (docs/journal.md).
$PY manage.py seal_journal --follow &
children+=($!)
echo $! >"$RUN_DIR/sealer.pid"
# The periodic jobs' scheduler (docs/operations.md, "Periodic jobs"): with
# several servers each starts one and the database lease picks the active one.
$PY manage.py run_scheduler --instance "run-$$" &
children+=($!)
echo $! >"$RUN_DIR/scheduler.pid"
# --noreload: the autoreloader forks a child that would outlive a TERM.
$PY manage.py runserver "$HOST:$PORT" --noreload &
children+=($!)
echo $! >"$RUN_DIR/web.pid"

# Bash runs traps between commands, and `wait -n` returns on a signal:
# TERM is honoured at once. Any child ending ends the whole set.
wait -n
status=$?
[ "$stopping" = 1 ] || echo "Un processus s'est arrêté (code $status) : arrêt de l'ensemble." >&2
exit "$status"
