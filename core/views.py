"""Operational endpoints."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """The process is up; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """The database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "not ready"
        if not connection.in_atomic_block:
            # Drop the broken connection so that the next request connects afresh. Closing
            # must not fail in turn (it may try to reconnect to read the autocommit state).
            try:
                connection.close()
            except Exception:
                logger.warning("readyz: closing the database connection failed", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
