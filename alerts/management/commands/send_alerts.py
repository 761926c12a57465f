from django.core.management.base import BaseCommand

from alerts.services import alerts_purge, digests_plan


class Command(BaseCommand):
    help = (
        "Plan and queue every alert digest that is due now (each address's period has ended), "
        "and purge unconfirmed subscriptions older than 7 days. The task worker sends them. "
        "`manage.py periodic` runs this every minute; --now treats every current period as ended."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Treat every subscription's current period as ended."
        )

    def handle(self, *args, now, **options):
        purged = alerts_purge()
        counts = digests_plan(force=now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Digests planned: {counts['planned']} to send, {counts['empty']} with nothing new; "
                f"{counts['queued']} queued for the worker; {purged} expired rows purged."
            )
        )
