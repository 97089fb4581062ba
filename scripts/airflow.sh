#!/usr/bin/env bash
# `make airflow`: Airflow's UI and scheduler on this machine, with the warehouse connection set.
# Airflow runs in a process group of its own, so that `make stop` can stop it and every process it started.
set -euo pipefail
source "$(dirname "$0")/env.sh"
vnhealth warehouse start
eval "$(vnhealth warehouse env)"
vnhealth dbt parse --quiet
airflow db migrate > /dev/null
# Job control on: the background job gets a process group of its own and keeps SIGINT (a script's `&`
# would otherwise start it with SIGINT ignored, and SIGINT is what stops standalone's children).
set -m
airflow standalone &
pid=$!
echo "$pid" > "$AIRFLOW_HOME/standalone.pid"
trap 'kill -INT -- "-$pid" 2>/dev/null; wait "$pid"' INT TERM
wait "$pid"
