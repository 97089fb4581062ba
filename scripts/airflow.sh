#!/usr/bin/env bash
# `make airflow`: Airflow's UI and scheduler on this machine, with the warehouse connection set.
#   make airflow                          LocalExecutor (`airflow standalone`), SQLite metadata
#   make airflow EXECUTOR=celery WORKERS=2  CeleryExecutor: Redis broker, PostgreSQL metadata (an
#                                         `airflow` database on the warehouse server), scheduler,
#                                         DAG processor, API server and WORKERS Celery workers
# Everything runs in a process group of its own, so that `make stop` stops it and all it started.
set -euo pipefail
source "$(dirname "$0")/env.sh"
EXECUTOR="${EXECUTOR:-local}"
WORKERS="${WORKERS:-2}"
vnhealth warehouse start
eval "$(vnhealth warehouse env)"
vnhealth dbt parse --quiet
mkdir -p "$AIRFLOW_HOME"

if [ "$EXECUTOR" = "celery" ]; then
  if ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" = "0" ]; then
      echo "installing redis-server (Debian package) for the Celery broker"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "EXECUTOR=celery needs redis-server: install Debian's redis-server (or run as root)"; exit 1
    fi
  fi
  secrets="$VNHEALTH_LOCAL_DIR/airflow-celery.env"
  if [ ! -f "$secrets" ]; then
    # one secret for every component (the API server signs the task tokens workers present)
    umask 077
    { echo "export AIRFLOW__API_AUTH__JWT_SECRET=$(python -c 'import secrets; print(secrets.token_hex(32))')"
      echo "export AIRFLOW__API__SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"; } > "$secrets"
  fi
  source "$secrets"
  redis_port="${VNHEALTH_REDIS_PORT:-26379}"
  api_port="${AIRFLOW__API__PORT:-8080}"
  export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$(vnhealth warehouse database airflow)"
  export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$redis_port/0"
  export AIRFLOW__CELERY__RESULT_BACKEND="db+${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN}"
  export AIRFLOW__CELERY__WORKER_CONCURRENCY="${AIRFLOW__CELERY__WORKER_CONCURRENCY:-1}"
  # Airflow's Celery settings, and the tasks' modules imported once per worker (restart the workers
  # after deploying a new version of the package)
  export AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS="${AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS:-vnhealth.celery_config.CELERY_CONFIG}"
  export AIRFLOW__API__PORT="$api_port"
  export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$api_port/execution/"
  airflow db migrate > "$VNHEALTH_LOCAL_DIR/airflow-migrate.log" 2>&1
  mkdir -p "$VNHEALTH_LOCAL_DIR/redis" "$VNHEALTH_LOCAL_DIR/logs"
  set -m
  (
    trap 'kill -TERM 0' INT TERM
    redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$VNHEALTH_LOCAL_DIR/redis" --save "" \
      > "$VNHEALTH_LOCAL_DIR/logs/redis.log" 2>&1 &
    airflow api-server --port "$api_port" > "$VNHEALTH_LOCAL_DIR/logs/api-server.log" 2>&1 &
    airflow dag-processor > "$VNHEALTH_LOCAL_DIR/logs/dag-processor.log" 2>&1 &
    airflow scheduler > "$VNHEALTH_LOCAL_DIR/logs/scheduler.log" 2>&1 &
    for i in $(seq 1 "$WORKERS"); do
      airflow celery worker --celery-hostname "worker$i@%h" --concurrency "$AIRFLOW__CELERY__WORKER_CONCURRENCY" \
        --skip-serve-logs > "$VNHEALTH_LOCAL_DIR/logs/worker$i.log" 2>&1 &
    done
    echo "CeleryExecutor: redis :$redis_port, API server :$api_port, $WORKERS workers (logs: $VNHEALTH_LOCAL_DIR/logs)"
    wait
  ) &
else
  airflow db migrate > /dev/null
  # Job control on: the background job gets a process group of its own and keeps SIGINT (a script's
  # `&` would otherwise start it with SIGINT ignored, and SIGINT is what stops standalone's children).
  set -m
  airflow standalone &
fi
pid=$!
echo "$pid" > "$AIRFLOW_HOME/standalone.pid"
trap 'kill -INT -- "-$pid" 2>/dev/null; kill -TERM -- "-$pid" 2>/dev/null; wait "$pid"' INT TERM
wait "$pid"
