"""Give a staff account a TOTP authenticator and print how to add it to an app."""

import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a confirmed TOTP device for a staff account and print its otpauth:// provisioning "
        "URI, its key and a QR code to scan. From then on the account signs in with a code."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="A label for the device.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove the account's existing TOTP devices first."
        )
        parser.add_argument("--no-qr", action="store_true", help="Print the URI and key only.")

    def handle(self, *args, username, name, replace, no_qr, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from staff.admin_site import typed_key

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named '{username}'.")
        if not user.is_staff:
            raise CommandError(f"'{username}' is not a staff account; only staff sign in to the admin.")
        with transaction.atomic():
            existing = TOTPDevice.objects.filter(user=user)
            if existing.filter(confirmed=True).exists() and not replace:
                raise CommandError(
                    f"'{username}' already has an authenticator. Use --replace to issue a new one "
                    "(the old one stops working)."
                )
            if replace:
                existing.delete()
            device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        uri = device.config_url
        self.stdout.write(self.style.SUCCESS(f"TOTP device created for '{username}'."))
        self.stdout.write(f"Provisioning URI: {uri}")
        self.stdout.write(f"Key (for typing into the app): {typed_key(device)}")
        if not no_qr:
            import qrcode

            code = qrcode.QRCode(border=1)
            code.add_data(uri)
            out = io.StringIO()
            code.print_ascii(out=out, invert=True)
            self.stdout.write(out.getvalue())
        self.stdout.write("Give this to the account holder privately; it is shown only once.")
