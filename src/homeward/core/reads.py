"""Reading a sensitive record is itself audited: who looked at what, when.

Medical records and protection facts (trafficking, GBV, torture, child protection) are
written to the audit log as *access* entries when a page, a file or the API shows them to
someone, tagged with the case and the sensitivity. Writes are audited by django-auditlog's
signals; reads have no signal, so the views that show such records call ``record_reads``.
General facts are not logged: every caseworker of the case reads them all day.

The entries hold no content, only which record was shown, to whom, through what. The case
history leaves them out (it tells what changed); ``selectors.reads_of_case`` lists them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

from homeward.accounts.roles import Sensitivity

SENSITIVE = frozenset({Sensitivity.MEDICAL.value, Sensitivity.PROTECTION.value})


class Via(StrEnum):
    """Where a sensitive record was shown (cases/case_reads.html words each)."""

    CASE_PAGE = "case_page"
    MEMBER_FORM = "member_form"
    SAFEGUARDING = "safeguarding"
    EVIDENCE = "evidence"
    API = "api"
    REFERRAL = "referral"  # a referral's package, in the origin mission's inbox or the case's referrals


def record_reads(
    user: Any,
    records: Iterable[tuple[models.Model, str]],
    *,
    case_id: int | None,
    via: str,
    remote_addr: str | None = None,
) -> int:
    """Write one access entry per (record, sensitivity) shown to ``user``; general ones are skipped.

    Returns how many were written. Called after the permission checks, with exactly what
    the user was shown.
    """
    entries = []
    for record, sensitivity in records:
        if sensitivity not in SENSITIVE or record.pk is None:
            continue
        data: dict[str, Any] = {"sensitivity": str(sensitivity), "via": via, "read": True}
        if case_id is not None:
            data["case_id"] = case_id
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(record),
                object_pk=str(record.pk),
                object_id=record.pk if isinstance(record.pk, int) else None,
                object_repr=_repr(record),
                action=LogEntry.Action.ACCESS,
                actor=user if getattr(user, "is_authenticated", False) else None,
                additional_data=data,
                remote_addr=remote_addr,
                changes_text="",
            )
        )
    LogEntry.objects.bulk_create(entries)
    return len(entries)


def _repr(record: models.Model) -> str:
    # The kind of record and its number, never its content: a log reader may not see the content.
    return f"{record._meta.verbose_name} #{record.pk}"


def address_of(request: Any) -> str | None:
    """The client's address as the audit log records it (None when the mission turned that off)."""
    from django.conf import settings

    if getattr(settings, "AUDITLOG_DISABLE_REMOTE_ADDR", False):
        return None
    from homeward.core.throttle import client_ip

    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def record_request_reads(
    request: Any, records: Iterable[tuple[models.Model, str]], *, case_id: int | None, via: str
) -> int:
    """``record_reads`` for the request's user and address."""
    return record_reads(request.user, records, case_id=case_id, via=via, remote_addr=address_of(request))
