#!/usr/bin/env bash
# `make airflow`: Airflow's UI and scheduler on this machine, with the warehouse connection set.
set -euo pipefail
source "$(dirname "$0")/env.sh"
vnhealth warehouse start
eval "$(vnhealth warehouse env)"
vnhealth dbt parse --quiet
airflow db migrate > /dev/null
trap '' TERM
echo $$ > "$AIRFLOW_HOME/standalone.pid"
exec airflow standalone
