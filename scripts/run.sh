#!/usr/bin/env bash
# `make run`: warehouse up, manifest built, Airflow metadata ready, the nightly DAG once, a summary.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/readers.sh"
ensure_readers
# `airflow dags test` waits out retry delays in-process; a one-off run should fail at once instead.
export VNHEALTH_TASK_RETRIES="${VNHEALTH_TASK_RETRIES:-0}"
vnhealth warehouse start
eval "$(vnhealth warehouse env)"
vnhealth dbt parse --quiet
mkdir -p "$AIRFLOW_HOME"
airflow db migrate > "$VNHEALTH_LOCAL_DIR/airflow-migrate.log" 2>&1 || { cat "$VNHEALTH_LOCAL_DIR/airflow-migrate.log"; exit 1; }
log="$VNHEALTH_LOCAL_DIR/last-run.log"
echo "running health_reports_nightly once (log: $log)"
if ! airflow dags test health_reports_nightly > "$log" 2>&1 </dev/null; then
  tail -50 "$log"; echo "the DAG run failed; see $log"; exit 1
fi
state=$(airflow dags list-runs health_reports_nightly -o json 2>/dev/null | python -c "import json,sys; runs=json.loads(next((l for l in sys.stdin if l.startswith('[')), '[]')); runs.sort(key=lambda r: r.get('start_date') or ''); print(runs[-1]['state'] if runs else 'none')")
if [ "$state" != "success" ]; then
  tail -30 "$log"; echo "the DAG run ended in state '$state'; see $log"; exit 1
fi
vnhealth summary --require-success
echo "warehouse still running: $(vnhealth warehouse url | sed -E 's#//([^:]+):[^@]+@#//\1:***@#')  (vnhealth warehouse url prints it with the password)"
