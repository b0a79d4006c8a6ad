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

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every audit entry written inside to ``user``.

    Nested calls keep the outer actor: auditlog's own context cannot nest.
    """
    if _current_actor.get() is not None:
        yield
        return
    token = _current_actor.set(user)
    try:
        with set_actor(user):
            yield
    finally:
        _current_actor.reset(token)


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run a write in one transaction with its ``acting_user`` as the audit actor.

    The outermost service opens a durable transaction, so a service is never
    half-committed by a caller that forgot one; inner services join it.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = kwargs.get("acting_user")
        if actor is None:
            raise TypeError(f"{func.__name__}() needs acting_user=")
        outermost = _current_actor.get() is None
        with transaction.atomic(durable=outermost), acting_as(actor):
            return func(*args, **kwargs)

    return wrapper
