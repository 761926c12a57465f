from django.core.management.base import BaseCommand

from demo.services import demo_content_load


class Command(BaseCommand):
    help = "Load the Canada–Korea Track 1.5 Dialogue on AI in English, French and Korean (idempotent)."

    def handle(self, *args, **options):
        touched = demo_content_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {touched['created']} rows created, {touched['changed']} updated."
            )
        )
