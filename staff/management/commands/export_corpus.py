"""Write the whole corpus to one versioned archive (see staff/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staff.backup import BackupError, corpus_export


class Command(BaseCommand):
    help = (
        "Export every curated record (drafts included, every language), the change history, the "
        "change feed, groups and users with their group memberships to one .tar.gz archive. "
        "Password hashes are left out unless --include-passwords is given, alert subscribers unless "
        "--include-personal-data is."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the archive, e.g. backups/atlas-2026-01-01.tar.gz")
        parser.add_argument(
            "--include-passwords",
            action="store_true",
            help="Include password hashes and partner API key hashes (keep such an archive secret).",
        )
        parser.add_argument(
            "--include-personal-data",
            action="store_true",
            help="Include what readers gave the site: alert subscribers' addresses and subscriptions.",
        )
        parser.add_argument("--database", default="default", help="The database alias to read.")

    def handle(self, *args, file, include_passwords, include_personal_data, database, **options):
        try:
            manifest = corpus_export(
                path=Path(file),
                include_passwords=include_passwords,
                include_personal_data=include_personal_data,
                using=database,
            )
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        tables = sum(1 for count in manifest["counts"].values() if count)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {rows} rows from {tables} tables to {file} (format {manifest['format_version']})."
            )
        )
        if not include_passwords:
            self.stdout.write("Password hashes were left out: restored accounts need new passwords.")
        if not include_personal_data:
            self.stdout.write("Alert subscribers were left out (--include-personal-data includes them).")
