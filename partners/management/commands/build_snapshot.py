from django.core.management.base import BaseCommand

from partners.snapshots import snapshot_build


class Command(BaseCommand):
    help = (
        "Build a bulk snapshot of the public data now (a zip of CSV, JSON Lines and a Frictionless "
        "datapackage.json, stamped with the change feed's position) and prune the old ones. "
        "`manage.py periodic` queues one after public data changed, at most once an hour."
    )

    def handle(self, *args, **options):
        snapshot = snapshot_build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Snapshot {snapshot.name}: {snapshot.size} bytes at sequence {snapshot.sequence}."
            )
        )
