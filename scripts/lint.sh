#!/usr/bin/env bash
# `make lint`: ruff (lint, and the format `ruff format` writes) over the Python, sqlfluff with dbt's
# templater over the dbt project (it compiles the models, so the warehouse is started first).
set -euo pipefail
source "$(dirname "$0")/env.sh"
ruff check include dags tests bench
ruff format --check include dags tests bench
vnhealth warehouse start >/dev/null
eval "$(vnhealth warehouse env)"
eval "$(python -c 'from vnhealth.cli import dbt_env; import shlex; print("\n".join(f"export {k}={shlex.quote(v)}" for k, v in dbt_env().items()))')"
cd "$VNHEALTH_HOME/dbt_project" && sqlfluff lint models snapshots tests
