#!/usr/bin/env bash
# `make cluster` / `make cluster-stop`: the multi-server topology of
# docs/deployment.md on one machine, every port on 127.0.0.1.
#
#   HAProxy :8100 ──► gunicorn app1 :8101 ┐
#                 └─► gunicorn app2 :8102 ┴─► PostgreSQL (the machine's :5432,
#                                             database titres_cluster, through
#                                             HAProxy's TCP relay :8154)
#                                           ─► Redis (private redis-server :8179)
#                                           ─► S3 (moto server :8103)
#   task workers (one per queue), the journal sealer, two schedulers ─► the same
#   SMTP sink :8125 (aiosmtpd, a Maildir under var/cluster/maildir)
#
# Usage: scripts/cluster.sh start | stop | status | env
#        scripts/cluster.sh up NAME | down NAME | kill NAME   (one process)
#        scripts/cluster.sh manage ARGS...                    (manage.py, cluster settings)
#
# Everything it starts has a pid file under var/cluster/pids/ holding its
# pid and its start time (/proc/PID/stat): `stop` ends those processes and
# only those (a pid reused by another program is never signalled).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
PIDS="$DIR/pids"
LOGS="$DIR/logs"

export CLUSTER_DIR="$DIR" CLUSTER_CONF="$ROOT/cluster"
export CLUSTER_LB_PORT="${CLUSTER_LB_PORT:-8100}"
export CLUSTER_APP1_PORT="${CLUSTER_APP1_PORT:-8101}"
export CLUSTER_APP2_PORT="${CLUSTER_APP2_PORT:-8102}"
export CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-8103}"
export CLUSTER_SMTP_PORT="${CLUSTER_SMTP_PORT:-8125}"
export CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-8154}"
export CLUSTER_REDIS_PORT="${CLUSTER_REDIS_PORT:-8179}"
export CLUSTER_PG_TARGET="${CLUSTER_PG_TARGET:-127.0.0.1:5432}"
export CLUSTER_DB="${CLUSTER_DB:-titres_cluster}"
QUEUES=(default mail documents production)
# Start order; `stop` goes the other way.
# Two schedulers, as one beside each app server: one holds the lease.
ALL=(redis s3 smtp haproxy "${QUEUES[@]/#/worker-}" sealer scheduler1 scheduler2 app1 app2)

say() { echo "cluster: $*"; }
STARTING=0
fail() {
  echo "cluster: $*" >&2
  if [ "$STARTING" = 1 ]; then
    STARTING=0
    echo "cluster: démarrage abandonné, arrêt de ce qui a été lancé." >&2
    stop_all >&2
  fi
  exit 1
}

# --- the environment every portal process of the cluster gets -------------

portal_env() {
  export DEBUG=0
  SECRET_KEY="$(cat "$DIR/secret_key")"
  export SECRET_KEY
  export TITRES_VAR_DIR="$DIR/state"
  export ALLOWED_HOSTS="127.0.0.1,localhost"
  export SITE_URL="http://127.0.0.1:$CLUSTER_LB_PORT"
  export CSRF_TRUSTED_ORIGINS="$SITE_URL"
  # Plain HTTP on the loopback: no TLS proxy, so no Secure cookies.
  export SECURE_COOKIES=0 TRUSTED_PROXY_COUNT=1
  export DATABASE_URL="postgres://postgres@127.0.0.1:$CLUSTER_PG_PORT/$CLUSTER_DB"
  export CONN_MAX_AGE=60
  export REDIS_URL="redis://127.0.0.1:$CLUSTER_REDIS_PORT/0"
  export AWS_STORAGE_BUCKET_NAME=titres-cluster
  export AWS_S3_ENDPOINT_URL="http://127.0.0.1:$CLUSTER_S3_PORT"
  export AWS_S3_REGION_NAME=us-east-1 AWS_ACCESS_KEY_ID=cluster AWS_SECRET_ACCESS_KEY=cluster
  export EMAIL_URL="smtp://127.0.0.1:$CLUSTER_SMTP_PORT" EMAIL_TIMEOUT=5
  # A demonstration platform: the local bank, no antivirus daemon, the
  # e-photo specimens and a CAPTCHA whose answer is "PASSED".
  export PAYMENT_PROVIDER=local PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG=1
  export PROCEDURES_ALLOW_NO_ANTIVIRUS=1 EPHOTO_LOCAL_SPECIMENS=1 CAPTCHA_TEST_MODE=1
  export TWODDOC_ALLOW_DEV_KEYS=1
  # Short leases so that a killed worker's task is rerun within seconds.
  export TASKS_LEASE_SECONDS=6 TASKS_HEARTBEAT_SECONDS=1 TASKS_RETRY_BASE_SECONDS=1
  # and a killed scheduler replaced within seconds.
  export SCHEDULER_LEASE_SECONDS=6
  export JOURNAL_CHECKPOINT_KEY="$DIR/state/journal-checkpoint.pem"
  export LOG_LEVEL=WARNING
}

# --- processes -----------------------------------------------------------

pid_of() { cut -d' ' -f1 "$PIDS/$1.pid" 2>/dev/null; }

# Field 22 of /proc/PID/stat: when the process started (clock ticks since boot).
start_time() { sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# True when NAME's pid file names a live process started by this cluster
# (same pid, same start time, not a zombie).
alive() {
  local pid recorded state
  [ -f "$PIDS/$1.pid" ] && read -r pid recorded <"$PIDS/$1.pid" || return 1
  [ -n "$pid" ] && [ -n "$recorded" ] || return 1
  [ "$(start_time "$pid")" = "$recorded" ] || return 1
  state="$(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
  [ "$state" != Z ]
}

command_of() {
  case "$1" in
    redis)
      echo redis-server --bind 127.0.0.1 --port "$CLUSTER_REDIS_PORT" --save "''" \
        --appendonly no --dir "$DIR/state" ;;
    s3) echo "$PY" -m moto.server -H 127.0.0.1 -p "$CLUSTER_S3_PORT" ;;
    smtp)
      echo "$PY" -m aiosmtpd -n -l "127.0.0.1:$CLUSTER_SMTP_PORT" \
        -c aiosmtpd.handlers.Mailbox "$DIR/maildir" ;;
    haproxy) echo haproxy -db -f "$ROOT/cluster/haproxy.cfg" ;;
    worker-*)
      local queue="${1#worker-}"
      echo "$PY" manage.py task_worker --queue-name "$queue" --interval 0.5 --no-reload \
        --worker-id "cluster-$queue-\$\$" ;;
    sealer) echo "$PY" manage.py seal_journal --follow ;;
    scheduler1 | scheduler2) echo "$PY" manage.py run_scheduler --instance "cluster-$1" ;;
    app1 | app2)
      local port
      [ "$1" = app1 ] && port="$CLUSTER_APP1_PORT" || port="$CLUSTER_APP2_PORT"
      echo "$PY" -m gunicorn cluster.wsgi:application --bind "127.0.0.1:$port" \
        --workers 2 --worker-class gthread --threads 4 --timeout 30 --graceful-timeout 10 \
        --max-requests 2000 --max-requests-jitter 200 ;;
    *) return 1 ;;
  esac
}

up() {
  local name="$1" cmd
  cmd="$(command_of "$name")" || fail "processus inconnu : $name"
  if alive "$name"; then
    return 0
  fi
  (
    case "$name" in
      worker-* | sealer | scheduler* | app*) portal_env ;;
    esac
    [ "$name" = app1 ] && export TITRES_SERVEUR=app1
    [ "$name" = app2 ] && export TITRES_SERVEUR=app2
    exec 8>&- # the cluster's lock stays with scripts/cluster.sh
    # exec: the pid recorded is the process itself, not a shell around it.
    exec setsid bash -c "exec $cmd" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  local pid=$!
  echo "$pid $(start_time "$pid")" >"$PIDS/$name.pid"
}

# TERM, then KILL after a grace period; only a process of this cluster.
down() {
  local name="$1" pid i
  if alive "$name"; then
    pid="$(pid_of "$name")"
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 150); do
      alive "$name" || break
      sleep 0.1
    done
    if alive "$name"; then
      say "$name ne s'arrête pas : SIGKILL"
      kill -KILL "$pid" 2>/dev/null
      sleep 0.2
    fi
  fi
  rm -f "$PIDS/$name.pid"
}

# The fault a test injects: SIGKILL, nothing else, pid file left behind.
kill_one() {
  alive "$1" || fail "$1 ne tourne pas"
  kill -KILL "$(pid_of "$1")"
}

wait_for() {
  local what="$1" tries="$2"
  shift 2
  local i
  for i in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  fail "$what ne répond pas (voir $LOGS/)"
}

http_ok() { "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1"; }

# --- prerequisites ---------------------------------------------------------

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "$1 manquant : installation par apt-get…"
    (apt-get update -qq && apt-get install -y -qq "$1" >/dev/null) || fail "apt-get install $1 a échoué"
  else
    fail "$1 manquant : installez-le (sudo apt-get install $1)."
  fi
}

prerequisites() {
  command -v haproxy >/dev/null || apt_install haproxy
  command -v redis-server >/dev/null || apt_install redis-server
  command -v pg_isready >/dev/null || apt_install postgresql-client
  pg_isready -q -h "${CLUSTER_PG_TARGET%:*}" -p "${CLUSTER_PG_TARGET#*:}" ||
    fail "PostgreSQL injoignable sur $CLUSTER_PG_TARGET : le cluster utilise celui de la machine."
  "$PY" -c "import moto.server, gunicorn" 2>/dev/null || fail "moto ou gunicorn absent : lancez make install."
}

pg_admin() {
  psql -q -X -v ON_ERROR_STOP=1 -h "${CLUSTER_PG_TARGET%:*}" -p "${CLUSTER_PG_TARGET#*:}" \
    -U postgres -d postgres "$@"
}

# An empty database with the current schema. Migrating takes a minute on a
# busy machine: the migrated schema is kept as a template database named
# after the hash of the migrations, and each start copies it (a second).
fresh_database() {
  local hash template
  hash="$(cat titres/*/migrations/*.py requirements/base.txt | sha256sum | cut -c1-12)"
  template="${CLUSTER_DB}_modele_$hash"
  if ! pg_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$template'" | grep -q 1; then
    say "schéma modifié : migrations dans la base modèle $template…"
    local old
    for old in $(pg_admin -tAc "SELECT datname FROM pg_database WHERE datname LIKE '${CLUSTER_DB}_modele_%'"); do
      pg_admin -c "DROP DATABASE IF EXISTS $old WITH (FORCE)"
    done
    pg_admin -c "CREATE DATABASE ${template}_partiel" || return 1
    (portal_env && DATABASE_URL="postgres://postgres@$CLUSTER_PG_TARGET/${template}_partiel" \
      "$PY" manage.py migrate --no-input -v 0) || return 1
    # Renamed once complete: an interrupted migration is never reused.
    pg_admin -c "ALTER DATABASE ${template}_partiel RENAME TO $template" || return 1
  fi
  pg_admin -c "DROP DATABASE IF EXISTS $CLUSTER_DB WITH (FORCE)" &&
    pg_admin -c "CREATE DATABASE $CLUSTER_DB TEMPLATE $template"
}

# collectstatic (WhiteNoise compresses every file) only when a static file
# or a dependency changed since the last one.
static_files() {
  local manifest="$DIR/state/static/staticfiles.json"
  if [ -f "$manifest" ] && [ "$manifest" -nt requirements/base.txt ] &&
    [ -z "$(find titres -path '*/static/*' -type f -newer "$manifest" -print -quit)" ]; then
    return 0
  fi
  "$PY" manage.py collectstatic --no-input -v 0
}

# --- commands ------------------------------------------------------------

start() {
  mkdir -p "$PIDS" "$LOGS" "$DIR/state"
  exec 8>"$DIR/cluster.lock"
  flock -n 8 || fail "un autre scripts/cluster.sh travaille sur $DIR"
  local name
  for name in "${ALL[@]}"; do
    alive "$name" && fail "le cluster tourne déjà ($name) : make cluster-stop d'abord."
  done
  prerequisites
  STARTING=1
  local started=$SECONDS
  if [ ! -s "$DIR/secret_key" ]; then
    (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" >"$DIR/secret_key")
  fi
  # A new database, so a new journal: its key and checkpoints go too.
  rm -rf "$DIR/maildir" "$DIR/state/journal-checkpoint.pem" "$DIR/state/journal-checkpoints" \
    "$LOGS"/*.log
  mkdir -p "$DIR/maildir"/{cur,new,tmp}
  # The object store keeps its objects in memory: every start begins with
  # an empty bucket, so the database starts empty too (demo data reloaded).
  say "Redis, S3, SMTP, HAProxy…"
  for name in redis s3 smtp haproxy; do up "$name"; done
  wait_for "Redis" 50 redis-cli -p "$CLUSTER_REDIS_PORT" ping
  wait_for "S3 (moto)" 100 http_ok "http://127.0.0.1:$CLUSTER_S3_PORT/moto-api/"
  wait_for "le relais PostgreSQL" 50 pg_isready -q -h 127.0.0.1 -p "$CLUSTER_PG_PORT"
  fresh_database || fail "création de la base $CLUSTER_DB impossible"
  say "base $CLUSTER_DB : migrations, fichiers statiques, compartiment, données de démonstration…"
  (
    portal_env
    static_files &&
      "$PY" -c "
import os, boto3
boto3.client('s3', endpoint_url=os.environ['AWS_S3_ENDPOINT_URL'],
             region_name=os.environ['AWS_S3_REGION_NAME']).create_bucket(
    Bucket=os.environ['AWS_STORAGE_BUCKET_NAME'])" &&
      "$PY" -c "
import os, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
pem = Ed25519PrivateKey.generate().private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
fd = os.open(sys.argv[1], os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
os.write(fd, pem)" "$JOURNAL_CHECKPOINT_KEY" &&
      "$PY" manage.py load_demo --allow-production >"$DIR/demo.txt"
  ) || fail "préparation de la base impossible"
  say "workers, scelleur, serveurs d'application…"
  for name in "${QUEUES[@]/#/worker-}" sealer scheduler1 scheduler2 app1 app2; do up "$name"; done
  wait_for "app1" 150 http_ok "http://127.0.0.1:$CLUSTER_APP1_PORT/healthz"
  wait_for "app2" 150 http_ok "http://127.0.0.1:$CLUSTER_APP2_PORT/healthz"
  wait_for "HAProxy" 50 http_ok "http://127.0.0.1:$CLUSTER_LB_PORT/readyz"
  for name in "${ALL[@]}"; do
    alive "$name" || fail "$name s'est arrêté au démarrage (voir $LOGS/$name.log)"
  done
  cat "$DIR/demo.txt"
  STARTING=0
  say "prêt en $((SECONDS - started)) s : http://127.0.0.1:$CLUSTER_LB_PORT/ (arrêt : make cluster-stop)"
}

stop() {
  mkdir -p "$PIDS"
  exec 8>"$DIR/cluster.lock"
  flock -w 30 8 || fail "un autre scripts/cluster.sh travaille sur $DIR"
  stop_all
}

stop_all() {
  local i stopped=()
  for ((i = ${#ALL[@]} - 1; i >= 0; i--)); do
    if alive "${ALL[i]}"; then
      stopped+=("${ALL[i]}")
    fi
    down "${ALL[i]}"
  done
  if [ ${#stopped[@]} -eq 0 ]; then
    say "rien à arrêter."
  else
    say "arrêtés : ${stopped[*]}"
  fi
}

status() {
  local name state rc=0
  for name in "${ALL[@]}"; do
    if alive "$name"; then state="en marche (pid $(pid_of "$name"))"; else
      state="arrêté"
      rc=3
    fi
    printf '  %-18s %s\n' "$name" "$state"
  done
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  up)
    mkdir -p "$PIDS" "$LOGS"
    up "${2:?nom du processus}"
    ;;
  down) down "${2:?nom du processus}" ;;
  kill) kill_one "${2:?nom du processus}" ;;
  alive) alive "${2:?nom du processus}" ;;
  pid) pid_of "${2:?nom du processus}" ;;
  env)
    portal_env
    # Every variable portal_env sets, and the ports: KEY=VALUE lines.
    for var in $(declare -f portal_env | grep -oE '\b(export|[A-Z_]+=)[^;]*' | grep -oE '\b[A-Z][A-Z0-9_]+=' | tr -d = | sort -u) $(compgen -v CLUSTER_); do
      printf '%s=%s\n' "$var" "${!var}"
    done
    ;;
  manage)
    shift
    portal_env
    exec "$PY" manage.py "$@"
    ;;
  *)
    echo "usage : scripts/cluster.sh start|stop|status|env|up NOM|down NOM|kill NOM|manage ARGS" >&2
    exit 2
    ;;
esac
