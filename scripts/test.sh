#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL (started and stopped by the pytest session), the whole suite.
set -uo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/readers.sh"
ensure_readers
export VNHEALTH_TEST_DIR="$(mktemp -d /tmp/vnhealth-test.XXXXXX)"
chmod 755 "$VNHEALTH_TEST_DIR"
cleanup() {
  # The session fixture stops the server; this catches a crashed interpreter too.
  VNHEALTH_LOCAL_DIR="$VNHEALTH_TEST_DIR/local" vnhealth warehouse stop >/dev/null 2>&1 || true
  rm -rf "$VNHEALTH_TEST_DIR"
}
trap cleanup EXIT
ruff check --quiet include dags tests bench || { echo "lint failed (ruff check): fix the lines above"; exit 1; }
ruff format --check --quiet include dags tests bench || { echo "format differs (ruff format): run it on the files above"; exit 1; }
# sqlfluff (dbt templater) needs the warehouse: tests/test_lint.py runs it on the test server
pytest -q "$@"
