from django.core.management.base import BaseCommand

from core.changes import changes_rebuild


class Command(BaseCommand):
    help = (
        "Reconcile the partners' change feed with the public set: an upsert for every public record "
        "partners do not hold, a remove for every record they hold that is no longer public. Run it "
        "after writes that bypass model signals (queryset.update, bulk_create, raw SQL, restores)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--touch",
            action="store_true",
            help="Also write an upsert for every public record (after bulk edits of their content).",
        )

    def handle(self, *args, touch, **options):
        written = changes_rebuild(touch=touch)
        self.stdout.write(self.style.SUCCESS(f"Change feed reconciled: {written} entries written."))
