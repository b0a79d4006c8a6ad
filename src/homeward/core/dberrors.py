"""The database going away mid-request: a clear 503, never a traceback.

Services are atomic, so whatever the request was doing is rolled back with the lost
connection; the page says so. Under /api/ the answer is the API's one error shape.

Errors raised by a view arrive at ``process_exception``. Those raised inside another
middleware (the session or the signed-in user read at the start of a request) have already
been turned into a 500 by Django before this middleware sees them: the
``got_request_exception`` receiver notes them on the request, and the 500 is replaced here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("homeward.db")

DB_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 for ``request``: JSON under /api/, else a page that needs neither the database nor a user."""
    message = _("The database cannot be reached. What you were doing was not saved; try again in a moment.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"message": message, "fields": {}}, status=503)
    else:
        # No request in the context: the context processors would read the user, from the database.
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@receiver(got_request_exception, dispatch_uid="homeward-db-unavailable")
def _note_db_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DB_ERRORS):
        request._homeward_db_error = exc  # type: ignore[attr-defined]


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_homeward_db_error", None) is not None:
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DB_ERRORS):
            return None
        logger.error("Database unavailable on %s %s", request.method, request.path, exc_info=exception)
        return unavailable_response(request)
