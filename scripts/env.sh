# Sourced by the Makefile's recipes: the project's environment, telemetry off.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VNHEALTH_HOME="$ROOT"
export VNHEALTH_LOCAL_DIR="${VNHEALTH_LOCAL_DIR:-$ROOT/.local}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$VNHEALTH_LOCAL_DIR/run}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$VNHEALTH_LOCAL_DIR/airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG="${AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG:-4}"
export AIRFLOW__CORE__EXECUTOR="${AIRFLOW__CORE__EXECUTOR:-LocalExecutor}"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-sqlite:///$AIRFLOW_HOME/airflow.db}"
export AIRFLOW__USAGE_DATA_COLLECTION__ENABLED=False
export AIRFLOW__COSMOS__ENABLE_TELEMETRY=False
export AIRFLOW__COSMOS__CACHE_DIR="$VNHEALTH_LOCAL_DIR/cosmos"
export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING}"
# A worker's supervisor waits for its task's process in a select() of at most this many seconds (default 5);
# when the process's sockets close before it can be reaped, nothing wakes that select and the worker sits idle
# for the rest of it before taking its next task: 5 s after about half the tasks (bench/workers.py). One
# second bounds that wait; the price is a heartbeat to the API server at most every second per running task.
export AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL="${AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL:-1}"
# OpenLineage events of every task (and of dbt's models, through cosmos) appended to one file, loaded into
# audit.lineage_events by each run's publication: lineage without a lineage server (vnhealth/lineage.py).
export AIRFLOW__OPENLINEAGE__NAMESPACE="${AIRFLOW__OPENLINEAGE__NAMESPACE:-vnhealth}"
if [ -z "${AIRFLOW__OPENLINEAGE__TRANSPORT:-}" ]; then
  export AIRFLOW__OPENLINEAGE__TRANSPORT="{\"type\": \"file\", \"append\": true, \"log_file_path\": \"$VNHEALTH_LOCAL_DIR/lineage/events.jsonl\"}"
fi
mkdir -p "$VNHEALTH_LOCAL_DIR/lineage"
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
export DO_NOT_TRACK=1
export GX_ANALYTICS_ENABLED=False
export PATH="$ROOT/.venv/bin:$PATH"
