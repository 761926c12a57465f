"""One scheduler for every periodic job: `manage.py periodic` (cron every minute, `make run`)."""

import io

import pytest
from django.core.management import call_command

from core import periodic
from core.tasks import worker_command

pytestmark = pytest.mark.django_db


def test_every_registered_job_runs_once_and_a_failure_does_not_stop_the_others(monkeypatch):
    assert list(periodic.JOBS) == ["publish_due", "build_snapshot", "deliver_webhooks", "send_alerts"]
    ran = []

    def broken():
        raise RuntimeError("boom")

    jobs = {
        "first": periodic.PeriodicJob("first", broken),
        "second": periodic.PeriodicJob("second", lambda: ran.append("second") or 3),
    }
    monkeypatch.setattr(periodic, "JOBS", jobs)
    out, err = io.StringIO(), io.StringIO()
    call_command("periodic", stdout=out, stderr=err)
    assert ran == ["second"]
    assert "first: failed (boom)" in err.getvalue() and "second: 3" in out.getvalue()


def test_the_real_round_publishes_and_plans_digests():
    out = io.StringIO()
    call_command("periodic", stdout=out)
    assert "publish_due:" in out.getvalue() and "send_alerts: {'planned': 0" in out.getvalue()


def test_the_worker_command_follows_the_backend(settings):
    from django.tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends.__dict__.pop("settings", None)
    try:
        assert worker_command() == ["db_worker"]
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
        task_backends.__dict__.pop("settings", None)
        assert worker_command()[:3] == ["rqworker", "--job-class", "django_tasks_rq.Job"]
    finally:
        task_backends.__dict__.pop("settings", None)
