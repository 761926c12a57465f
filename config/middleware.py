"""Project-wide middleware: API language selection and graceful database outages."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import translation

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class RequestLanguageMiddleware:
    """On the API, `?lang=` picks the language, else Accept-Language (STACK-NOTES P4).

    `?lang=all` keeps the negotiated language active for fallbacks; serializers read
    `request.api_language` to decide the shape of translated fields.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            requested = request.GET.get("lang", "")
            if requested in self.codes:
                language = requested
            else:
                language = translation.get_language_from_request(request, check_path=False)
                if language not in self.codes:
                    language = settings.LANGUAGE_CODE
            translation.activate(language)
            request.LANGUAGE_CODE = language
            request.api_language = requested or language
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database outage answers a translated 503 page (or JSON on the API), never a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return self._unavailable(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, error):
        logger.error("database unavailable", extra={"path": request.path, "error": str(error)})
        if request.path.startswith(API_PREFIX):
            from django.http import JsonResponse

            response = JsonResponse(
                {"detail": "The service is temporarily unavailable. Please retry shortly."},
                status=503,
            )
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
