from django.core.management.base import BaseCommand

from core.changes import publish_due


class Command(BaseCommand):
    help = (
        "Record in the partners' change feed the scheduled publications that came due and the rows "
        "added in bulk since the last run. Cheap: run it every minute from cron or a systemd timer "
        "(`make run` does)."
    )

    def handle(self, *args, **options):
        written = publish_due()
        self.stdout.write(self.style.SUCCESS(f"Due publications recorded: {written} entries written."))
