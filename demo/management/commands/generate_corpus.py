import time

from django.core.management.base import BaseCommand, CommandError

from core.changes import changes_rebuild
from demo.corpus import CorpusSize, corpus_delete, corpus_exists, corpus_generate


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic corpus in English, French and Korean for performance "
        "work: --findings N findings, N/40 dialogues, N/2 recommendations, N/4 people, and the rest "
        "scaled. Synthetic rows have `syn-` slugs; --reset removes them first; the demo content "
        "is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--findings", type=int, default=20_000, help="Number of findings (default 20000)."
        )
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (default 2025).")
        parser.add_argument("--reset", action="store_true", help="Delete the synthetic rows first.")
        parser.add_argument("--delete", action="store_true", help="Only delete the synthetic rows.")

    def handle(self, *args, findings, seed, reset, delete, verbosity, **options):
        if findings < 1:
            raise CommandError("--findings must be at least 1.")
        started = time.monotonic()
        if reset or delete:
            deleted = corpus_delete()
            self.stdout.write(f"Deleted {deleted} synthetic rows.")
            if delete:
                self._announce()
                return
        elif corpus_exists():
            raise CommandError("A synthetic corpus is already present; use --reset to replace it.")
        size = CorpusSize(findings=findings)
        self.stdout.write(
            f"Generating {size.findings} findings, {size.dialogues} dialogues, {size.series} series, "
            f"{size.recommendations} recommendations, {size.people} people, "
            f"{size.organizations} organisations (seed {seed})..."
        )
        progress = (lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else None
        counts = corpus_generate(findings=findings, seed=seed, progress=progress)
        for name, number in counts.items():
            self.stdout.write(f"  {name}: {number}")
        self._announce()
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _announce(self):
        """Bulk writes send no signals: bring the change feed up to date (and with it the version
        of cached pages and counts)."""
        written = changes_rebuild()
        self.stdout.write(f"  change feed entries written: {written}")
