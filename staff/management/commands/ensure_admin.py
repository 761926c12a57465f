import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the admin account if it does not exist. The password comes from "
        "DJANGO_SUPERUSER_PASSWORD, else one is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account '{username}' already exists; log in with its password.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        if os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin account '{username}' created (password from DJANGO_SUPERUSER_PASSWORD)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin account created. Username: {username}  Password: {password}\n"
                    "This password is shown only once; keep it."
                )
            )
