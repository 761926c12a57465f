import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core.periodic import periodic_run


class Command(BaseCommand):
    help = (
        "Run every periodic job once (due publications, due alert digests, ...): what cron or a "
        "systemd timer runs every minute. With --every N, keep running them every N seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once).")

    def handle(self, *args, every, **options):
        while True:
            for name, result in periodic_run().items():
                if isinstance(result, Exception):
                    self.stderr.write(f"{name}: failed ({result})")
                elif options["verbosity"] > 1 or not every:
                    self.stdout.write(f"{name}: {result}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
