import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*.po to .mo with GNU gettext if present, else with polib (pure Python)."

    def handle(self, *args, **options):
        catalogues = [
            po_path
            for locale_path in settings.LOCALE_PATHS
            for po_path in Path(locale_path).glob("*/LC_MESSAGES/*.po")
        ]
        if not catalogues:
            self.stdout.write("No translation catalogues to compile.")
            return
        if shutil.which("msgfmt"):
            call_command("compilemessages", ignore_patterns=[".venv", "staticfiles"], verbosity=0)
            self.stdout.write("Translations compiled with msgfmt.")
            return
        import polib

        for po_path in catalogues:
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        self.stdout.write(f"Translations compiled with polib ({len(catalogues)} catalogues).")
