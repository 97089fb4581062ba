"""Where things live, from environment variables with project-local defaults.

Every path and address the pipeline uses is read here, so the same code runs on a laptop,
under CeleryExecutor or KubernetesExecutor by changing the environment only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


def _project_root() -> Path:
    explicit = os.environ.get("VNHEALTH_HOME")
    if explicit:
        return Path(explicit).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "dbt_project").is_dir():
        return here
    return Path.cwd().resolve()


@dataclass(frozen=True)
class Settings:
    root: Path
    local_dir: Path
    archive_root: Path
    sources_file: Path
    pg_port: int
    pg_superuser: str = "postgres"
    project_role: str = "vnhealth"
    database: str = "vnhealth"

    @property
    def dbt_project_dir(self) -> Path:
        return self.root / "dbt_project"

    @property
    def gx_root(self) -> Path:
        return self.root / "expectations"

    @property
    def data_docs_root(self) -> Path:
        return self.local_dir / "data_docs"

    @property
    def work_dir(self) -> Path:
        """Intermediate files passed between tasks by path (extracted JSONL batches)."""
        return self.local_dir / "work"


def get_settings() -> Settings:
    root = _project_root()
    local = Path(os.environ.get("VNHEALTH_LOCAL_DIR", root / ".local")).resolve()
    return Settings(
        root=root,
        local_dir=local,
        archive_root=Path(os.environ.get("VNHEALTH_ARCHIVE_ROOT", local / "archive")).resolve(),
        sources_file=Path(os.environ.get("VNHEALTH_SOURCES", root / "sources.yml")).resolve(),
        # below Linux's ephemeral range (32768-60999): an outgoing connection never takes it first
        pg_port=int(os.environ.get("VNHEALTH_PG_PORT", "25432")),
    )


def safe_run_dir(run_id: str) -> str:
    """A run id as a folder name (work files, Data Docs, night pages)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)
