"""One JSON shape for every API error: {"detail", "code", "errors": {parameter: [messages]}}."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """An API error. `errors` names each offending query parameter with its messages."""

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
