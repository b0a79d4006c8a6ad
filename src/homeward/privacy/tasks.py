"""The daily sweep that anonymises persons past their programme's retention (``homeward worker`` runs it)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def anonymise_expired() -> int:
    """Anonymise every person due today, then come back in a day; returns how many."""
    import datetime as dt

    from django.utils import timezone

    try:
        return len(run())
    finally:
        ensure_anonymisation_scheduled(run_after=timezone.now() + dt.timedelta(days=1))


def run(*, dry_run: bool = False) -> list[Any]:
    """The persons due today (anonymised unless ``dry_run``); each in its own transaction."""
    from homeward.privacy import erasure
    from homeward.privacy.models import Anonymisation

    due = erasure.due_persons()
    if not dry_run:
        for person in due:
            erasure.anonymise(person, kind=Anonymisation.Kind.RETENTION)
    return due


def ensure_anonymisation_scheduled(*, run_after: object = None) -> bool:
    """Queue a sweep (now, or at ``run_after``) unless one is already waiting; True when one was queued."""
    from homeward.core.tasks import ensure_queued

    return ensure_queued(anonymise_expired, run_after=run_after)
