"""Who did it: the acting user of a service, handed to the audit log.

Every model holding personal data is registered with django-auditlog, which
records each create, update and delete with the old and new value of each
field. The services name the actor; pages, the API and commands all go
through them, so every entry says who.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from auditlog.context import set_actor
from django.db import transaction

_current_actor: ContextVar[Any] = ContextVar("homeward_actor", default=None)
_current_case: ContextVar[int | None] = ContextVar("homeward_audit_case", default=None)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every audit entry written inside to ``user``.

    Nested calls keep the outer actor (auditlog's own context cannot nest), so
    a nested call for someone else is a bug that would misattribute writes.
    """
    outer = _current_actor.get()
    if outer is not None:
        if getattr(outer, "pk", outer) != getattr(user, "pk", user):
            raise RuntimeError(f"acting as {user} inside a write by {outer}")
        yield
        return
    token = _current_actor.set(user)
    try:
        with set_actor(user):
            yield
    finally:
        _current_actor.reset(token)


@contextmanager
def about_case(case_id: int | None) -> Iterator[None]:
    """Tag the audit entries written inside with the case they were made through.

    A person may be in cases of several missions; each case's history shows
    only the changes made through it. ``None`` (a write about no case) tags nothing.
    """
    if case_id is None:
        yield
        return
    token = _current_case.set(case_id)
    try:
        yield
    finally:
        _current_case.reset(token)


def case_tag() -> dict[str, int]:
    """``{"case_id": …}`` for the audit entry being written, when made through a case."""
    case_id = _current_case.get()
    return {} if case_id is None else {"case_id": case_id}


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a write in one transaction with its ``acting_user`` as the audit actor.

    Outside any transaction it opens a durable one, so a service is never
    half-committed by a caller that forgot one; inside one it joins it.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = kwargs.get("acting_user")
        if actor is None:
            raise TypeError(f"{func.__name__}() needs acting_user=")
        outermost = not transaction.get_connection().in_atomic_block
        with transaction.atomic(durable=outermost), acting_as(actor):
            return func(*args, **kwargs)

    return wrapper


class AuditActorMiddleware:
    """Attribute writes made while serving a signed-in user's request to that user.

    Services name their actor themselves; this covers the Django admin, whose
    forms save models directly. The API is left out: it authenticates by token
    after middleware runs, so the session user may not be the one acting.
    """

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return self.get_response(request)
        with acting_as(user):
            return self.get_response(request)


def masked(value: str) -> str:
    """What the audit log keeps of a bank detail: that it changed, and the last four characters of an IBAN.

    The log is in every database dump, so nothing else survives: not a bank's name, a holder, a SWIFT code
    or a short account number (decision 0013; the last four of an IBAN are printed on any receipt).
    """
    if not value or value == "None":
        return value
    from homeward.assistance.rules import looks_like_iban

    return "••••" + (value.replace(" ", "")[-4:] if looks_like_iban(value) else "")


def register(
    model: type[Any],
    *,
    exclude: tuple[str, ...] = ("id",),
    m2m_fields: set[str] | None = None,
    mask: tuple[str, ...] = (),
) -> None:
    """Audit ``model``'s own columns (minus ``exclude``) with django-auditlog.

    Listing the included columns, rather than the excluded ones, keeps the
    reverse relations other apps add to a model out of its history. The
    ``mask`` columns (bank details) are recorded as changed, their values
    reduced by ``masked``: auditlog's own mask keeps half the value. Encrypted
    columns are masked whole.
    """
    from auditlog.registry import auditlog

    from homeward.core.fields import is_encrypted

    fields = [f.name for f in model._meta.concrete_fields if f.name not in exclude]
    # Encrypted columns (core/fields.py) are always masked, and completely: the log must not undo the encryption.
    encrypted = [f.name for f in model._meta.concrete_fields if is_encrypted(f) and f.name in fields]
    auditlog.register(
        model,
        include_fields=fields,
        m2m_fields=m2m_fields or set(),
        mask_fields=list(dict.fromkeys([*mask, *encrypted])),
        mask_callable="homeward.core.audit.masked" if mask else "homeward.core.fields.redacted",
    )
