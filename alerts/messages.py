"""The messages alerts send: a confirmation, and a digest. Multipart (plain text and HTML, no
remote image), in the address's language, every link absolute on SITE_URL with its language
prefix, and the one-click unsubscribe headers of RFC 8058 on every message."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alerts import tokens
from alerts.models import DigestRun, Subscriber, Subscription
from alerts.selectors import digest_records
from core.templatetags.atlas import translated_value


def site_url() -> str:
    """Where links in messages point: SITE_URL, else the development server."""
    return settings.SITE_URL or "http://127.0.0.1:8000"


def absolute(path: str) -> str:
    return f"{site_url()}{path}"


def _links(subscriber: Subscriber) -> dict[str, str]:
    """Absolute links of an address, in the active language: settings page and one-click leave."""
    manage = tokens.subscriber_token(subscriber, salt=tokens.MANAGE_SALT)
    leave = tokens.subscriber_token(subscriber, salt=tokens.UNSUBSCRIBE_SALT)
    return {
        "manage_url": absolute(reverse("alerts:manage", kwargs={"token": manage})),
        "unsubscribe_url": absolute(reverse("alerts:unsubscribe", kwargs={"token": leave})),
    }


def _message(
    *, to: str, subject: str, template: str, context: dict, kind: str, message_id: str | None = None
):
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "X-Atlas-Kind": kind,
    }
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    """The message that asks the address to confirm a subscription, in the language it asked for."""
    subscriber = subscription.subscriber
    with translation.override(subscription.language):
        token = tokens.confirm_token(subscription)
        context = {
            "subscription": subscription,
            "target": _target_label(subscription),
            "confirm_url": absolute(reverse("alerts:confirm", kwargs={"token": token})),
            "days": tokens.PENDING_SECONDS // 86400,
            "language_code": subscription.language,
            **_links(subscriber),
        }
        subject = _("Confirm your Dialogue Atlas alert")
        return _message(
            to=subscriber.email, subject=subject, template="confirm", context=context, kind="confirm"
        )


def _target_label(subscription: Subscription) -> str:
    if subscription.theme_id:
        return translated_value(subscription.theme, "name")[0]
    if subscription.series_id:
        return translated_value(subscription.series, "name")[0]
    return subscription.target_label()


def _item(obj, field: str) -> dict:
    text, lang = translated_value(obj, field)
    return {"title": text, "lang": lang, "url": absolute(obj.get_absolute_url()), "object": obj}


def message_id(run: DigestRun) -> str:
    """The same Message-ID however often a run is sent, so that a copy is recognised as one."""
    domain = urlsplit(site_url()).hostname or "localhost"
    return f"<digest.{run.pk}.{run.subscriber.key[:8]}@{domain}>"


def digest_message(run: DigestRun) -> EmailMultiAlternatives | None:
    """A planned digest as a message, or None if nothing in it is still public."""
    subscriber = run.subscriber
    with translation.override(subscriber.language):
        records = digest_records(run.content)
        sections = [
            (_("New findings"), [_item(obj, "title") for obj in records["findings"]]),
            (_("New recommendations"), [_item(obj, "title") for obj in records["recommendations"]]),
            (_("New dialogues"), [_item(obj, "title") for obj in records["dialogues"]]),
            (
                _("Recommendations whose status changed"),
                [
                    {**_item(obj, "title"), "status": obj.get_current_status_display()}
                    for obj in records["status_changes"]
                ],
            ),
        ]
        sections = [(title, items) for title, items in sections if items]
        if not sections:
            return None
        count = sum(len(items) for _title, items in sections)
        context = {
            "sections": sections,
            "count": count,
            "language_code": subscriber.language,
            "subscriptions": [
                _target_label(subscription)
                for subscription in subscriber.subscriptions.filter(
                    confirmed_at__isnull=False
                ).select_related("theme", "series")
            ],
            **_links(subscriber),
        }
        subject = ngettext(
            "Dialogue Atlas: %(count)s new item on the topics you follow",
            "Dialogue Atlas: %(count)s new items on the topics you follow",
            count,
        ) % {"count": count}
        return _message(
            to=subscriber.email,
            subject=subject,
            template="digest",
            context=context,
            kind="digest",
            message_id=message_id(run),
        )
