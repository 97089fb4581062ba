#!/usr/bin/env bash
# `make stop`: Airflow (if `make airflow` started it) and the embedded warehouse.
set -uo pipefail
source "$(dirname "$0")/env.sh"
pidfile="$AIRFLOW_HOME/standalone.pid"
if [ -f "$pidfile" ]; then
  kill -INT "$(cat "$pidfile")" 2>/dev/null && echo "airflow standalone stopped"
  rm -f "$pidfile"
fi
if [ -x "$VNHEALTH_HOME/.venv/bin/vnhealth" ]; then vnhealth warehouse stop; fi
