"""Alerts pages: the subscription form, and the pages its signed links open.

Answers never tell whether an address is known: a valid request always ends on the same "check
your inbox" page. Bad input is a 400 with the form's messages, a bad or expired link a 400 page,
too many requests a 429; none of these pages is cached or indexed.
"""

import hashlib

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import BaseThrottle

from alerts import services, tokens
from alerts.forms import SettingsForm, SubscribeForm, normalise_search
from alerts.models import Subscriber, TargetKind
from core.ratelimit import count_request

HOUR = 3600


def _client_address(request) -> str:
    """The client's address as the API's limits count it: the peer's, or behind API_NUM_PROXIES
    trusted proxies the address they saw (DRF's reading of X-Forwarded-For)."""
    return BaseThrottle().get_ident(request)


def _over_limit(request, email: str) -> bool:
    """Count this request against the client and the address (hashed: the counters' keys hold no
    address); over either hourly limit is True."""
    client = count_request(
        f"alerts:client:{_client_address(request)}", settings.ALERTS_LIMIT_PER_CLIENT, HOUR
    )
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    address = count_request(f"alerts:address:{digest}", settings.ALERTS_LIMIT_PER_ADDRESS, HOUR)
    return any(quota is not None and not quota.allowed for quota in (client, address))


def _initial(request) -> dict:
    """The form prefilled by a "Get alerts" link: ?theme=, ?series=, or ?q= and the findings filters."""
    params = request.GET
    initial = {"language": get_language(), "kind": TargetKind.EVERYTHING}
    if params.get("theme") and not params.get("search"):
        initial.update(kind=TargetKind.THEME, theme=params["theme"][:120])
    elif params.get("series"):
        initial.update(kind=TargetKind.SERIES, series=params["series"][:120])
    if params.get("search"):
        query = normalise_search(params["search"][:500])
        if query:
            initial.update(kind=TargetKind.SEARCH, query=query)
    return initial


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The subscription form (GET, prefilled by ?theme=, ?series= or ?search=) and its answer."""
    if request.method != "POST":
        return render(request, "alerts/subscribe.html", {"form": SubscribeForm(initial=_initial(request))})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    data = form.cleaned_data
    if _over_limit(request, data["email"]):
        response = render(request, "alerts/limited.html", status=429)
        response["Retry-After"] = str(HOUR)
        return response
    services.subscription_request(
        email=data["email"],
        kind=data["kind"],
        theme=data["theme_obj"],
        series=data["series_obj"],
        query=data["query"] if data["kind"] == TargetKind.SEARCH else "",
        language=data["language"],
        frequency=data["frequency"],
    )
    return redirect(reverse("alerts:requested"))


@never_cache
def requested(request):
    """The one answer to every valid request: a message is on its way, if the address exists."""
    return render(request, "alerts/requested.html")


def _invalid_link(request):
    return render(request, "alerts/link_invalid.html", status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows what the link confirms (mail scanners may fetch it: nothing changes); the
    button POSTs, which confirms. A replayed link confirms nothing new."""
    subscription = tokens.subscription_from_token(token)
    if subscription is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscription = services.subscription_confirm(subscription=subscription)
        manage = tokens.subscriber_token(subscription.subscriber, salt=tokens.MANAGE_SALT)
        return render(
            request,
            "alerts/confirmed.html",
            {"subscription": subscription, "manage_url": reverse("alerts:manage", kwargs={"token": manage})},
        )
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: the mail provider POSTs without a token; the signed link is the proof
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """One-click leave: a POST ends every subscription of the address; a GET only asks."""
    subscriber = tokens.subscriber_from_token(token, salt=tokens.UNSUBSCRIBE_SALT)
    if request.method == "POST":
        if subscriber is not None:
            services.subscriber_unsubscribe(subscriber=subscriber)
        elif not tokens.is_well_signed(token, salt=tokens.UNSUBSCRIBE_SALT):
            return _invalid_link(request)
        # A genuine link of an address already gone: it has left, which is what was asked.
        return render(request, "alerts/unsubscribed.html")
    if subscriber is None:
        return _invalid_link(request)
    return render(request, "alerts/unsubscribe.html", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """An address's page: its subscriptions (end each), language and frequency, erase everything."""
    subscriber = tokens.subscriber_from_token(token, salt=tokens.MANAGE_SALT)
    if subscriber is None:
        return _invalid_link(request)
    settings_form = SettingsForm(initial={"language": subscriber.language, "frequency": subscriber.frequency})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "erase":
            services.subscriber_erase(subscriber=subscriber)
            return render(request, "alerts/erased.html")
        if action == "end":
            try:
                subscription_id = int(request.POST.get("subscription", ""))
            except ValueError:
                return _invalid_link(request)
            services.subscription_end(subscriber=subscriber, subscription_id=subscription_id)
            if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                return render(request, "alerts/unsubscribed.html")
            return redirect(request.path)
        if action == "settings":
            settings_form = SettingsForm(request.POST)
            if settings_form.is_valid():
                services.subscriber_update(subscriber=subscriber, **settings_form.cleaned_data)
                return redirect(request.path)
            return _manage_page(request, subscriber, settings_form, status=400)
        return _invalid_link(request)
    return _manage_page(request, subscriber, settings_form)


def _manage_page(request, subscriber, settings_form, status=200):
    subscriptions = list(subscriber.subscriptions.select_related("theme", "series"))
    return render(
        request,
        "alerts/manage.html",
        {"subscriber": subscriber, "subscriptions": subscriptions, "settings_form": settings_form},
        status=status,
    )
