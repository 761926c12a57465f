import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from core import korean, search


class Command(BaseCommand):
    help = (
        "Analyse again the Korean text of every record with stored search vectors (PostgreSQL). "
        "Run it after upgrading kiwipiepy or editing core/data/korean_words.txt."
    )

    def handle(self, *args, **options):
        if not korean.is_enabled():
            raise CommandError(
                "Korean morphemes are indexed on PostgreSQL only; SQLite searches by substring."
            )
        started = time.monotonic()
        korean.analyser()
        loaded = time.monotonic()
        for label, fields in search.STORED_VECTORS.items():
            model = apps.get_model(label)
            count = search.korean_reindex(model, fields)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} analysed")
        self.stdout.write(
            self.style.SUCCESS(
                f"Korean search reindexed in {time.monotonic() - loaded:.1f} s "
                f"(analyser loaded in {loaded - started:.1f} s)."
            )
        )
