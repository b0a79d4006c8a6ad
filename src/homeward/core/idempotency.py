"""``Idempotency-Key`` on payment and transition endpoints: a retried request never acts twice.

A client that is not sure its request arrived (a timeout, a dropped connection) sends it again
with the same header. The first successful answer (status and body) is stored with the key, the
user, the method and path and a hash of the body, in the same transaction as the action itself;
a retry with the same key and body gets that answer back, marked ``Idempotent-Replayed: true``,
and nothing is done again. The same key with another request is refused (422). A refused
request (4xx) stores nothing: it did nothing and may be retried. Keys expire after
``HOMEWARD_IDEMPOTENCY_HOURS`` and are swept by a background task.

Two identical requests at the same moment: the unique constraint on (user, key) decides. The
second one's insert waits for the first transaction; when that commits, the second's whole
transaction (its action included) is rolled back and it replays the first one's answer.

Usage, under the router's decorator::

    @router.post("/grants/{id}/payments", response=PaymentOut)
    @idempotent
    def pay(request, id: int, payload: PayIn): ...
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from ninja.decorators import _apply_decorators
from ninja.utils import contribute_operation_callback

from homeward.core.errors import ServiceError
from homeward.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"

DESCRIPTION = (
    "Payment and transition endpoints accept an `Idempotency-Key` header (any unique string of up to "
    "255 characters, e.g. a UUID): the first successful answer is kept with the key (24 hours by default), and a retry "
    "with the same key and body gets that answer again (with `Idempotent-Replayed: true`) without acting "
    "twice. The same key with a different request is refused with 422. A refused request keeps nothing and "
    "may be retried."
)


class IdempotencyError(ServiceError):
    status = 422


@dataclass
class _Pending:
    key: str
    method: str
    path: str
    body_hash: str
    replayed: bool = False


def _body_hash(request: HttpRequest) -> str:
    """The request's content: the raw body, or for a form upload its fields and files (each client
    draws a new multipart boundary for a retry, so the raw bytes of the same upload differ)."""
    if not request.content_type.startswith("multipart/"):
        return hashlib.sha256(request.body).hexdigest()
    digest = hashlib.sha256()
    for name in sorted(request.POST):
        for value in request.POST.getlist(name):
            digest.update(f"field\0{name}\0{value}\0".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)
            digest.update(f"file\0{name}\0{upload.name}\0{content.hexdigest()}\0".encode())
    return digest.hexdigest()


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(row.response_body), status=row.status_code, content_type=row.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def _check_same_request(row: IdempotencyKey, pending: _Pending) -> None:
    if (row.method, row.path, row.body_hash) != (pending.method, pending.path, pending.body_hash):
        raise IdempotencyError(
            _("This Idempotency-Key was already used for a different request: send a new key for a new request."),
            {HEADER: [_("Already used for a different request.")]},
        )


def _header_key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise IdempotencyError(
            _("The Idempotency-Key header must be between 1 and %(max)d characters.") % {"max": MAX_KEY_LENGTH},
            {HEADER: [_("Between 1 and %(max)d characters.") % {"max": MAX_KEY_LENGTH}]},
        )
    return key


def _stored(user: Any, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, key=key, expires_at__gt=timezone.now()).first()


def _before_action(request: HttpRequest) -> HttpResponse | None:
    """Inside the operation, after authentication: a stored answer to replay, or None to go on and act."""
    key = _header_key(request)
    if key is None:
        return None
    pending = _Pending(key=key, method=request.method or "", path=request.path, body_hash=_body_hash(request))
    request._idempotency = pending  # type: ignore[attr-defined]
    # An expired row would still hold the unique (user, key): it is gone from here on.
    IdempotencyKey.objects.filter(user=request.user, key=key, expires_at__lte=timezone.now()).delete()
    row = _stored(request.user, key)
    if row is None:
        return None
    _check_same_request(row, pending)
    pending.replayed = True
    return _replay(row)


def _idempotent_run(run: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap the whole operation (authentication, the view, the error handlers) in the transaction."""
    operation = run.__self__  # type: ignore[attr-defined]

    @functools.wraps(run)
    def idempotent_run(request: HttpRequest, **kwargs: Any) -> Any:
        if HEADER not in request.headers:
            return run(request, **kwargs)
        lost_race = False
        with transaction.atomic():
            response = run(request, **kwargs)
            pending: _Pending | None = getattr(request, "_idempotency", None)
            if pending is None or pending.replayed:
                return response  # refused before the view (401, 422 on the input), or a replay
            if not 200 <= response.status_code < 300:
                # Nothing the refused request did may stay, and nothing is kept for its key.
                transaction.set_rollback(True)
            else:
                try:
                    with transaction.atomic():
                        IdempotencyKey.objects.create(
                            user=request.user,
                            key=pending.key,
                            method=pending.method,
                            path=pending.path,
                            body_hash=pending.body_hash,
                            status_code=response.status_code,
                            content_type=response.get("Content-Type", "application/json"),
                            response_body=response.content,
                            expires_at=timezone.now() + dt.timedelta(hours=settings.HOMEWARD_IDEMPOTENCY_HOURS),
                        )
                except IntegrityError:
                    # The same key committed by a request that ran at the same time: undo ours, answer as it did.
                    transaction.set_rollback(True)
                    lost_race = True
        if pending is not None and (lost_race or not 200 <= response.status_code < 300):
            row = _stored(request.user, pending.key)
            if row is not None:
                try:
                    _check_same_request(row, pending)
                except IdempotencyError as exc:
                    return operation.api.on_exception(request, exc)
                return _replay(row)
            if lost_race:  # the other request's answer already expired: ours was undone, say so
                conflict = ServiceError(_("The same request is being handled already: look before sending it again."))
                conflict.status = 409  # type: ignore[attr-defined]
                return operation.api.on_exception(request, conflict)
        return response

    return idempotent_run


HEADER_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": DESCRIPTION,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def _contribute(operation: Any) -> None:
    view = operation.view_func

    # Wrapped here, after django-ninja has read the view's signature (a functools.wraps wrapper
    # defined in this module would not resolve the view module's string annotations).
    def checked_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        stored = _before_action(request)
        if stored is not None:
            return stored
        return view(request, *args, **kwargs)

    checked_view.__name__, checked_view.__doc__, checked_view.__module__ = view.__name__, view.__doc__, view.__module__
    operation.view_func = checked_view
    # ninja.decorators.decorate_view's mechanism: kept when an operation is cloned.
    _apply_decorators((_idempotent_run,), operation)
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), HEADER_PARAMETER]
    operation.openapi_extra = extra


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make a django-ninja operation honour ``Idempotency-Key`` (put it under ``@router.post``)."""
    contribute_operation_callback(view, _contribute)
    return view


def sweep(now: dt.datetime | None = None) -> int:
    """Delete expired keys; returns how many."""
    deleted, _per_model = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


@task()
def sweep_idempotency_keys() -> int:
    """Delete expired idempotency keys, then come back in an hour."""
    try:
        return sweep()
    finally:
        ensure_sweep_scheduled(run_after=timezone.now() + dt.timedelta(hours=1))


def ensure_sweep_scheduled(*, run_after: object = None) -> bool:
    """Queue a sweep (now, or at ``run_after``) unless one is already waiting; True when one was queued."""
    from homeward.core.tasks import ensure_queued

    return ensure_queued(sweep_idempotency_keys, run_after=run_after)
