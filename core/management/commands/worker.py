from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.tasks import worker_command


class Command(BaseCommand):
    help = (
        "Run a worker of the configured task backend: `db_worker` for the database backend, "
        "`rqworker` with the django.tasks job class for Redis. Extra arguments go to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("extra", nargs="*", help="Arguments for the backend's worker command.")

    def handle(self, *args, extra, **options):
        name, *arguments = worker_command()
        call_command(name, *arguments, *extra)
