"""Restore an archive written by export_corpus into an empty database (see staff/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staff.backup import BackupError, corpus_import


class Command(BaseCommand):
    help = (
        "Restore a corpus archive (from export_corpus) into this database, which must be empty and "
        "migrated (createdb, then manage.py migrate). Everything is restored in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by export_corpus.")
        parser.add_argument("--database", default="default", help="The database alias to restore into.")

    def handle(self, *args, file, database, **options):
        try:
            manifest = corpus_import(path=Path(file), using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows from {file} (made {manifest['created_at']} by Dialogue Atlas "
                f"{manifest['app_version']})."
            )
        )
        if not manifest.get("include_passwords"):
            self.stdout.write(
                "The archive held no password hashes: set passwords with `manage.py changepassword <user>`."
            )
