"""The live duplicate check while a counsellor types (lead)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def check(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
