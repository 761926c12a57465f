"""Alerts fixtures: a real SMTP server (aiosmtpd) per test, the task backends, a worker run."""

import email
import email.policy
import os
import re

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.tasks import task_backends

from core.tasks import is_transactional
from tests.support.servers import free_port

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


class Inbox:
    """What the SMTP server received: (recipients, raw bytes) per message, in order."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted"

    def messages(self, to: str | None = None) -> list:
        return [
            email.message_from_bytes(raw, policy=email.policy.default)
            for recipients, raw in self.received
            if to is None or to in recipients
        ]

    def raw(self, to: str | None = None) -> list[bytes]:
        return [raw for recipients, raw in self.received if to is None or to in recipients]

    def clear(self):
        self.received.clear()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, and the site's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "core.mail.SMTPBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port},
        }
    }
    yield inbox
    controller.stop()


def _reset_task_backends():
    task_backends.__dict__.pop("settings", None)
    for backend in task_backends.all(initialized_only=True):
        del task_backends[backend.alias]


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _reset_task_backends()
    yield
    _reset_task_backends()


@pytest.fixture
def redis_tasks(settings):
    """The Redis (RQ) task backend on a test database of the local Redis, emptied before and after."""
    import redis

    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.ping()  # no Redis is a failure, never a skip: CI starts one
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL}}
    _reset_task_backends()
    yield connection
    _reset_task_backends()
    connection.flushdb()


def run_worker() -> None:
    """Run the configured backend's worker until its queue is empty (in this process)."""
    if is_transactional():
        _run_database_tasks()
    else:
        call_command(
            "rqworker",
            "default",
            burst=True,
            job_class="django_tasks_rq.Job",
            worker_class="rq.SimpleWorker",
            verbosity=0,
        )


def _run_database_tasks() -> None:
    """The database worker's own claim-and-run steps, in the test's transaction (the `db_worker`
    command closes connections between tasks, which would end a test's transaction)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while True:
        with exclusive_transaction():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return
        worker.run_task(result)


def link(message, pattern: str) -> str:
    """The first URL of the plain-text part of a message matching `pattern`."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(rf"https?://\S*{pattern}\S*", text)
    assert found, text
    return found.group(0)


def path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path
