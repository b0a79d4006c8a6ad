"""Optimistic concurrency: a write names the version of the record it was based on."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from homeward.core.errors import ServiceError


class ConflictError(ServiceError):
    """Someone else changed the record since it was read; nothing was written."""

    status = 409


def claim_version(obj: Any, expected: int | None) -> None:
    """Bump ``obj.version`` if it is still ``expected`` (any version when ``None``), and refresh ``obj``.

    The conditional UPDATE takes the row lock, so concurrent writers queue up
    behind it and the second one sees the first one's version.
    """
    rows = type(obj).objects.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1):
        raise ConflictError(
            _(
                "Someone else changed this case while you were working on it. Here is what it says now; nothing of yours was saved yet."
            ),
            {"version": [_("The case has changed since you opened it.")]},
        )
    obj.refresh_from_db()
