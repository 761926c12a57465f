from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import xliff


class Command(BaseCommand):
    help = (
        "Apply the translations of an XLIFF 1.2 file made from `export_xliff`. A unit whose English "
        "changed since the export is refused (and said so); the others are applied, as human "
        "translations unless the file marks them machine-made."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            report = xliff.xliff_import(Path(file).read_bytes(), dry_run=dry_run)
        except (OSError, xliff.XliffError) as error:
            raise CommandError(str(error)) from error
        for unit_id, why in report.refused:
            self.stderr.write(self.style.WARNING(f"Refused {unit_id}: {why}"))
        verb = "would be applied" if dry_run else "applied"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.applied)} units {verb} ({report.language}), {len(report.refused)} refused, "
                f"{len(report.skipped)} empty or unchanged."
            )
        )
        if report.refused:
            raise SystemExit(1)
