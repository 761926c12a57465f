"""The background task layer: Django's `django.tasks`, whatever backend settings.TASKS names.

With the database backend (django-tasks-db, the default) enqueueing writes a row in the caller's
transaction: a task enqueued in a transaction that rolls back never runs, and the worker never
sees it before the data it reads has committed. Any other backend (the Redis queue) is outside
the transaction, so `enqueue` waits for the commit there; the periodic job that made the work
(`manage.py periodic`) enqueues again whatever is still pending, so a crash between the commit
and the enqueue delays the work, never loses it.
"""

from django.db import transaction
from django.tasks import task_backends

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def is_transactional(alias: str = "default") -> bool:
    """The backend stores tasks in the database, in the caller's transaction."""
    return task_backends.settings[alias]["BACKEND"] == DATABASE_BACKEND


def enqueue(task, *args, **kwargs) -> None:
    """Queue `task` with the current transaction: in it (database backend), or once it commits."""
    if is_transactional(task.backend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def worker_command(alias: str = "default") -> list[str]:
    """The `manage.py` command (and arguments) that runs a worker for this backend."""
    if is_transactional(alias):
        return ["db_worker"]
    return ["rqworker", "--job-class", "django_tasks_rq.Job", "--worker-class", "rq.SimpleWorker", "default"]
