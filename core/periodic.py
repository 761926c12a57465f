"""The periodic jobs, run by one scheduler: `manage.py periodic` (cron or a systemd timer every
minute in production; `make run` every minute beside the web server and the worker).

Each app registers its own jobs from its `AppConfig.ready()`, so the kernel names no app. A job
is cheap when there is nothing to do and safe to run twice (each records how far it got).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]


JOBS: dict[str, PeriodicJob] = {}


def register_periodic(name: str, run: Callable[[], object]) -> None:
    """Add a job to the scheduler's round (called from an app's `ready()`)."""
    JOBS[name] = PeriodicJob(name, run)


def periodic_run() -> dict[str, object]:
    """Run every registered job once, in registration order; a failing job does not stop the
    others. Returns each job's result (or the exception it raised)."""
    results: dict[str, object] = {}
    for job in JOBS.values():
        try:
            results[job.name] = job.run()
        except Exception as error:  # noqa: BLE001 - one broken job must not starve the others
            logger.exception("periodic job %s failed", job.name)
            results[job.name] = error
    return results
