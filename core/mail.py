"""Sending e-mail: the SMTP backend and the development outbox, both rendering without folding.

Django's SMTP backend renders with `email.policy.SMTP`, which folds any header longer than 78
characters; a header with no fold point, such as `List-Unsubscribe: <https://…>` with a long
signed URL, then comes out as RFC 2047 encoded words (`=?utf-8?q?…?=`), which mail providers do
not read as a link. Both backends here render with the same policy at the RFC 5322 limit (998
characters a line), so such headers travel plain, on one line.
"""

import email.policy
import smtplib
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

POLICY = email.policy.SMTP.clone(max_line_length=998)


def message_bytes(message) -> bytes:
    """The message as it goes on the wire: CRLF line ends, long headers unfolded."""
    return message.message(policy=POLICY).as_bytes()


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend (EMAIL_HOST, EMAIL_USE_TLS, ...), rendering with POLICY."""

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        from_email = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        try:
            self.connection.sendmail(from_email, recipients, message_bytes(email_message))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


class OutboxBackend(BaseEmailBackend):
    """Development: each message becomes one .eml file in EMAIL_OUTBOX_DIR (open it in a mail client)."""

    _lock = threading.Lock()

    def __init__(self, *args, directory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(directory or settings.EMAIL_OUTBOX_DIR)

    def send_messages(self, email_messages):
        sent = 0
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                if not message.recipients():
                    continue
                name = f"{message.extra_headers.get('X-Atlas-Kind', 'message')}-{uuid.uuid4().hex[:12]}.eml"
                partial = self.directory / f".{name}.partial"
                partial.write_bytes(message_bytes(message))
                partial.replace(self.directory / name)  # a reader never sees half a file
                sent += 1
        return sent
