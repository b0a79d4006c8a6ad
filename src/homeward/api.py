"""The JSON API under /api/v1/: the same services and scoping as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from homeward.accommodation.api import router as accommodation_router
from homeward.accounts.api import router as accounts_router
from homeward.accounts.api_auth import TokenAuth, session_auth
from homeward.activities.api import router as activities_router
from homeward.appointments.api import router as appointments_router
from homeward.assistance.api import router as assistance_router
from homeward.budgets.api import router as budgets_router
from homeward.cases.api import referrals_router
from homeward.cases.api import router as cases_router
from homeward.core.errors import ServiceError
from homeward.core.idempotency import DESCRIPTION as IDEMPOTENCY_DESCRIPTION
from homeward.core.openapi import HomewardNinjaAPI
from homeward.counselling.api import router as counselling_router
from homeward.feedback.api import router as feedback_router
from homeward.grants.api import router as grants_router
from homeward.health.api import router as health_router
from homeward.imports.api import router as imports_router
from homeward.jobs.api import router as jobs_router
from homeward.matching.api import router as matching_router
from homeward.monitoring.api import router as monitoring_router
from homeward.outreach.api import router as outreach_router
from homeward.partners.api import router as partners_router
from homeward.privacy.api import router as privacy_router
from homeward.programmes.api import router as programmes_router
from homeward.reintegration.api import router as reintegration_router
from homeward.reporting.api import router as reporting_router
from homeward.safeguarding.api import router as safeguarding_router
from homeward.surveys.api import router as surveys_router
from homeward.travel.api import router as travel_router
from homeward.triage.api import router as triage_router
from homeward.work.api import router as work_router

# Its OpenAPI document also declares the error answers the framework and middleware give (core/openapi.py).
api = HomewardNinjaAPI(
    title="Homeward API",
    version="1",
    description="Case management for Assisted Voluntary Return and Reintegration. "
    "Authenticate with a personal token: `Authorization: Bearer <token>`.\n\n" + IDEMPOTENCY_DESCRIPTION,
    # A token (scoped, expiring) or the session (with its two-factor requirement): accounts/api_auth.py.
    auth=[TokenAuth(), session_auth],
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/cases", cases_router)
api.add_router("/referrals", referrals_router)
api.add_router("/programmes", programmes_router)
# These define full paths (/cases/{id}/sessions, /tasks, …).
api.add_router("/", counselling_router)
api.add_router("/", safeguarding_router)
api.add_router("/", travel_router)
api.add_router("/", assistance_router)
api.add_router("/", grants_router)
api.add_router("/", reintegration_router)
api.add_router("/", budgets_router)
api.add_router("/", monitoring_router)
api.add_router("/", surveys_router)
api.add_router("/", feedback_router)
api.add_router("/", outreach_router)
api.add_router("/", matching_router)
api.add_router("/", work_router)
api.add_router("/", jobs_router)
api.add_router("/", reporting_router)
api.add_router("/", imports_router)
api.add_router("/", partners_router)
api.add_router("/", triage_router)
api.add_router("/", appointments_router)
api.add_router("/", accommodation_router)
api.add_router("/", health_router)
api.add_router("/", activities_router)
api.add_router("/", privacy_router)


def _error(request: HttpRequest, status: int, message: str, fields: dict[str, list[str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"message": message, "fields": fields or {}}, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, getattr(exc, "status", 400), exc.message, exc.fields)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "members", 0, "given_names") -> "members.0.given_names"
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "__all__", []).append(str(error.get("msg", "")))
    return _error(request, 422, _("The request is not valid: check the fields listed."), fields)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Raised by django-ninja itself, e.g. an unparsable body or a failed CSRF check.
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Sign in, or send a valid API token: Authorization: Bearer <token>."))
