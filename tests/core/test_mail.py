"""Messages go out with long headers unfolded; in development they land in the outbox as .eml."""

import email
import email.policy

from django.core.mail import EmailMessage, mailers

from core.mail import OutboxBackend, message_bytes

LONG_URL = "https://atlas.example.org/en/alerts/unsubscribe/" + "x" * 120 + "/"


def message():
    return EmailMessage(
        subject="Digest",
        body="Hello",
        from_email="alerts@example.org",
        to=["reader@example.org"],
        headers={"List-Unsubscribe": f"<{LONG_URL}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def test_django_folds_a_long_header_into_encoded_words_and_ours_does_not():
    folded = message().message(policy=email.policy.SMTP).as_bytes()
    assert b"List-Unsubscribe: =?utf-8?q?" in folded  # what Django's SMTP backend would send
    plain = message_bytes(message())
    assert f"List-Unsubscribe: <{LONG_URL}>\r\n".encode() in plain
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in plain


def test_the_outbox_writes_one_eml_per_message(tmp_path, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "core.mail.OutboxBackend", "OPTIONS": {"directory": str(tmp_path)}}
    }
    assert isinstance(mailers.default, OutboxBackend)
    assert mailers.default.send_messages([message(), message()]) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2 and not list(tmp_path.glob(".*"))
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == f"<{LONG_URL}>"
