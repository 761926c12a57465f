"""What a locked-out account sees (django-axes)."""

from django.conf import settings


def lockout_response(request, original_response=None, credentials=None):
    """django-axes lockout page: translated, says for how long, and sends `Retry-After`."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": minutes,
    }
    response = render(
        request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if minutes:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
