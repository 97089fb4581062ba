#!/usr/bin/env bash
# `make docs`: dbt's docs site and the per-run Data Docs, served on loopback.
set -euo pipefail
source "$(dirname "$0")/env.sh"
vnhealth warehouse start
eval "$(vnhealth warehouse env)"
vnhealth dbt docs generate --quiet
mkdir -p "$VNHEALTH_LOCAL_DIR/data_docs"
echo "Nights (each with its overview, night page and Data Docs):  http://127.0.0.1:${DATA_DOCS_PORT:-8090}/index.html"
python -m http.server "${DATA_DOCS_PORT:-8090}" --bind 127.0.0.1 --directory "$VNHEALTH_LOCAL_DIR/data_docs" >/dev/null 2>&1 &
trap 'kill $! 2>/dev/null' EXIT
echo "dbt docs:            http://127.0.0.1:${DBT_DOCS_PORT:-8080}"
vnhealth dbt docs serve --port "${DBT_DOCS_PORT:-8080}" --host 127.0.0.1 --no-browser
