#!/usr/bin/env bash
# `make stop`: every Airflow process of this project (however it was started: `make airflow` in the
# foreground or the background, or `airflow standalone` by hand in this environment), then the
# embedded warehouse.
set -uo pipefail
source "$(dirname "$0")/env.sh"

# Processes whose environment names this project's AIRFLOW_HOME (the scheduler, API server, DAG
# processor, triggerer, Celery workers, Redis and their children), this script's own shell excepted.
ours() {
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    if { tr '\0' '\n' < "$env"; } 2>/dev/null | grep -qx "AIRFLOW_HOME=$AIRFLOW_HOME"; then
      if { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qE "airflow|redis-server|celery"; then echo "$pid"; fi
    fi
  done
}

pidfile="$AIRFLOW_HOME/standalone.pid"
if [ -f "$pidfile" ]; then
  # SIGINT is what `airflow standalone` stops its children on (SIGTERM leaves them running)
  kill -INT -- "-$(cat "$pidfile")" 2>/dev/null || kill -INT "$(cat "$pidfile")" 2>/dev/null
  rm -f "$pidfile"
  for _ in $(seq 1 20); do sleep 0.5; [ -z "$(ours)" ] && break; done
fi
pids=$(ours)
if [ -n "$pids" ]; then
  kill -TERM $pids 2>/dev/null
  for _ in $(seq 1 20); do
    sleep 0.5
    pids=$(ours)
    [ -z "$pids" ] && break
  done
  if [ -n "$pids" ]; then kill -KILL $pids 2>/dev/null; sleep 0.5; fi
  echo "airflow stopped"
fi
left=$(ours)
if [ -n "$left" ]; then echo "still running: $left"; fi
if [ -x "$VNHEALTH_HOME/.venv/bin/vnhealth" ]; then vnhealth warehouse stop; fi
