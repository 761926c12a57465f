"""Project-wide middleware: API language selection and graceful database outages."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.api.errors import error_response

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class RequestLanguageMiddleware:
    """On the API, `?lang=` picks the language, else Accept-Language (the API has no
    language prefix in its paths).

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


def is_database_outage(error: BaseException) -> bool:
    """A failure to reach the database (not a bad query)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DatabaseError) and "connection" in str(error).lower()


def note_outage(sender, request=None, **kwargs):
    # Django turns an exception raised inside a middleware (a session or cache lookup, say)
    # into a 500 before the outer middleware sees it, but tells this signal first.
    error = sys.exc_info()[1]
    if request is not None and error is not None and is_database_outage(error):
        request._database_outage = error


class DatabaseUnavailableMiddleware:
    """A database outage answers a translated 503 page (or JSON on the API), never a traceback.

    It covers the view, template rendering and every middleware below this one (sessions,
    authentication, the page cache). Django closes a broken connection at the end of the request
    and opens a new one for the next, so the site recovers by itself when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return self._unavailable(request, error)
        outage = getattr(request, "_database_outage", None)
        if outage is not None and response.status_code >= 500:
            return self._unavailable(request, outage)
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return self._unavailable(request, exception)
        return None

    @staticmethod
    def _language(request) -> str:
        codes = {code for code, _name in settings.LANGUAGES}
        if request.path.startswith(API_PREFIX) and getattr(request, "LANGUAGE_CODE", None) in codes:
            return request.LANGUAGE_CODE  # the API's ?lang=, or Accept-Language (RequestLanguageMiddleware)
        language = translation.get_language_from_path(request.path_info)
        if language not in codes:
            # Accept-Language or the language cookie; never the session (it is in the database).
            language = translation.get_language_from_request(request, check_path=False)
        return language if language in codes else settings.LANGUAGE_CODE

    def _unavailable(self, request, error):
        logger.error("database unavailable", extra={"path": request.path, "error": str(error)})
        language = self._language(request)
        with translation.override(language):
            if request.path.startswith(API_PREFIX):
                response = error_response(
                    503,
                    _("The service is temporarily unavailable. Please retry shortly."),
                    "service_unavailable",
                )
                # The quota, if the request was counted before the database failed (with Redis).
                ratelimit.add_headers(request, response)
            else:
                response = HttpResponse(self._page(request), status=503)
        response["Retry-After"] = "30"
        response["Content-Language"] = language
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _page(request) -> str:
        try:
            return render_to_string("503.html", request=request)
        except Exception:  # the page itself must not need the database: try without the request
            logger.exception("503 page failed with the request context")
        try:
            return render_to_string("503.html")
        except Exception:
            logger.exception("503 page failed")
        return (
            f'<!doctype html><html lang="{translation.get_language()}"><title>503</title>'
            f"<h1>{_('Temporarily unavailable')}</h1></html>"
        )
