from django.core.management.base import BaseCommand

from core.changes import changes_reconcile


class Command(BaseCommand):
    help = (
        "Record in the partners' change feed the scheduled publications that came due and the rows "
        "added in bulk since the last run (the feed also does this whenever it is read). Cheap; "
        "suitable for cron."
    )

    def handle(self, *args, **options):
        written = changes_reconcile()
        self.stdout.write(self.style.SUCCESS(f"Change feed reconciled: {written} entries written."))
