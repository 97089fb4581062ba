"""The dbt project's SQL is sqlfluff-clean with dbt's templater (as `make lint` checks it): dbt Labs'
style (lower case, explicit aliases, qualified references in joins, four-space indents)."""

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_dbt_sql_is_sqlfluff_clean(warehouse, dbt_manifest):
    from vnhealth.cli import dbt_env

    sqlfluff = str(Path(sys.executable).with_name("sqlfluff"))
    proc = subprocess.run(
        [sqlfluff, "lint", "models", "snapshots", "tests"],
        cwd=ROOT / "dbt_project",
        env={**os.environ, **dbt_env()},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "All Finished" in proc.stdout + proc.stderr
