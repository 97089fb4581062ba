"""Celery's settings for the workers of these DAGs: Airflow's own, and the modules the tasks import
loaded once per worker instead of once per task.

Airflow runs each task in a process forked from a Celery worker's process, and that process parses
the DAG file before the task runs. A module the worker already holds costs the task nothing; Airflow
preloads its own operators this way, on Celery's `import_modules` signal. The DAG file's imports
(this package, cosmos) cost each task about 0.6 s more, and Great Expectations, which both
validation tasks load, 1.9 s more (`python -X importtime`), whenever a task's process imports them
itself. `scripts/airflow.sh` points `[celery] celery_config_options` here.

The price: a worker keeps the code it started with. After deploying a new version of this package,
restart the workers (the DAG files themselves are read again by each task, as before).
"""

from __future__ import annotations

import importlib
import logging

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import import_modules

log = logging.getLogger(__name__)

CELERY_CONFIG = {**DEFAULT_CELERY_CONFIG}

# What the tasks of health_reports_nightly and health_reports_reextract import, heaviest first.
PRELOADED_MODULES = (
    "great_expectations",
    "cosmos.operators.local",
    "vnhealth.orchestration",
    "vnhealth.pipeline",
    "vnhealth.quality",
    "vnhealth.audit",
    "vnhealth.lineage",
)


@import_modules.connect
def preload_task_modules(*args, **kwargs) -> None:
    """Import the tasks' modules in the worker's process, before it forks a process per task."""
    loaded = []
    for name in PRELOADED_MODULES:
        try:
            importlib.import_module(name)
            loaded.append(name)
        except ImportError as exc:  # a task that needs it will fail with the same error, in its own log
            log.warning("could not preload %s: %s", name, exc)
    from vnhealth.extraction import EXTRACTOR_VERSION

    # a warning, so that it shows at the project's default level: this worker now runs this code until it restarts
    log.warning(
        "vnhealth: preloaded for every task: %s (extractor %s; restart this worker after deploying new code)",
        ", ".join(loaded),
        EXTRACTOR_VERSION,
    )
