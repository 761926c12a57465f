from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import translations, xliff
from core.models import TranslationState


class Command(BaseCommand):
    help = (
        "Write an XLIFF 1.2 file of the French or Korean translations to do (missing and outdated by "
        "default) for a CAT tool such as OmegaT. Each unit carries the hash of its English, so that "
        "`import_xliff` refuses a unit whose English changed since."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lang", required=True, choices=translations.TARGET_LANGUAGES)
        parser.add_argument(
            "--status",
            default=",".join(xliff.DEFAULT_STATUSES),
            help="Comma-separated statuses to export: " + ", ".join(TranslationState.values),
        )
        parser.add_argument("--dialogue", metavar="SLUG", help="Only the records of this dialogue.")
        parser.add_argument("file", help="Where to write the file ('-' for standard output).")

    def handle(self, *args, lang, status, dialogue, file, **options):
        statuses = tuple(value.strip() for value in status.split(",") if value.strip())
        unknown = set(statuses) - set(TranslationState.values)
        if unknown or not statuses:
            raise CommandError(f"Unknown status: {', '.join(sorted(unknown)) or '(none)'}")
        data = xliff.xliff_export(language=lang, statuses=statuses, dialogue=dialogue)
        if file == "-":
            self.stdout.write(data.decode())
            return
        Path(file).write_bytes(data)
        units = data.count(b"<trans-unit ")
        self.stderr.write(self.style.SUCCESS(f"{units} units written to {file}."))
