import time

from django.core.management.base import BaseCommand
from django.db import router

from core.textindex import LIVE_INDEXES


class Command(BaseCommand):
    help = (
        "Build the in-memory search indexes (core/textindex/) and store them in the shared cache, "
        "where every app process takes them instead of building its own: run it after a deploy, "
        "with REDIS_URL set (with the local-memory cache each process builds its own anyway)."
    )

    def handle(self, *args, **options):
        for live in LIVE_INDEXES:
            started = time.monotonic()
            index = live.rebuild(router.db_for_read(live.model))
            self.stdout.write(
                self.style.SUCCESS(
                    f"{live.resource}: {len(index)} records indexed in {time.monotonic() - started:.1f} s."
                )
            )
