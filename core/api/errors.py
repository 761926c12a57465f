"""One JSON shape for every API error: {"detail", "code", "errors": {parameter: [messages]}}."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """An API error. `errors` names each offending query parameter with its messages."""

    optional_fields = ("errors",)  # only for errors about parameters (core/api/schema.py)

    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))
    code = serializers.CharField(help_text=_("A stable machine-readable code, e.g. invalid or not_found."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Messages per query parameter, when the error concerns parameters."),
    )


def _code(detail, default: str) -> str:
    return str(getattr(detail, "code", None) or default)


def exception_handler(exc, context):
    """DRF's handler, reshaped: parameter errors under `errors`, always `detail` and `code`."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    default_code = getattr(exc, "default_code", "error")
    if isinstance(data, dict) and set(data) == {"detail"}:
        body = {"detail": str(data["detail"]), "code": _code(data["detail"], default_code)}
    elif isinstance(data, dict):
        errors = {
            str(name): [str(message) for message in (messages if isinstance(messages, list) else [messages])]
            for name, messages in data.items()
        }
        if isinstance(exc, ValidationError):
            detail = _("Invalid query parameters: %(names)s.") % {"names": ", ".join(errors)}
        else:
            detail = str(getattr(exc, "default_detail", _("Request failed.")))
        body = {"detail": str(detail), "code": default_code, "errors": errors}
    else:
        messages = data if isinstance(data, list) else [data]
        body = {"detail": " ".join(str(message) for message in messages), "code": default_code}
    response.data = body
    return response


def error_response(status: int, detail, code: str) -> JsonResponse:
    """The API's error shape for answers made outside DRF (middleware, Django's error handlers)."""
    return JsonResponse({"detail": str(detail), "code": code}, status=status)


# Errors Django answers before (or instead of) a DRF view: a malformed request (a bad Host, too
# many parameters), a path nothing serves, an unexpected failure. (code, detail) by status.
DJANGO_ERRORS = {
    400: ("bad_request", _("The request is malformed.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("There is no API endpoint at this path; see /api/v1/.")),
    412: ("precondition_failed", _("The request's If-Match or If-Unmodified-Since condition does not hold.")),
    500: ("server_error", _("The server failed to answer; the failure has been logged.")),
}


def django_error(status: int) -> JsonResponse:
    code, detail = DJANGO_ERRORS[status]
    return error_response(status, detail, code)
