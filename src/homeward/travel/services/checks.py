"""The pre-embarkation check, 24–72 hours before the first departure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.travel import airports, rules
from homeward.travel.models import Itinerary, PreDepartureCheck
from homeward.travel.services.common import lock, refuse, require_travel
from homeward.work import services as work
from homeward.work.models import TaskKind


@service
def pre_departure_check_record(
    *,
    acting_user: User,
    itinerary: Itinerary,
    checked_at: dt.datetime | None = None,
    fit_to_travel: bool,
    documents_in_order: bool,
    still_willing: bool,
    note: str = "",
) -> PreDepartureCheck:
    """Record the pre-embarkation check: health, documents, still willing to return.

    Rule: on a confirmed itinerary, within the 72 hours before the first departure
    and not after it; a failed check says why (it stops the departure, the case stays).
    A time without a zone is the departure airport's local time.
    """
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    if itinerary.status != Itinerary.Status.CONFIRMED:
        raise ServiceError(_("The pre-embarkation check is done on a confirmed itinerary."))
    first = itinerary.segments.order_by("departs_at").first()
    if first is None:
        raise ServiceError(_("The itinerary has no segment to check against."))
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if checked_at is None:
        checked_at = now
    elif timezone.is_naive(checked_at):
        try:
            checked_at = airports.make_aware(rules.plausible_travel_time(checked_at), first.origin_tz)
        except (ValidationError, airports.NonexistentLocalTime):
            raise ServiceError(
                _("The check could not be recorded: check the fields marked."),
                {"checked_at": [_("Enter a real local time at the departure airport.")]},
            ) from None
    opens, departs = rules.check_window(first.departs_at)
    if checked_at > now:
        errors["checked_at"] = [_("The check cannot be recorded in the future.")]
    elif checked_at > departs:
        errors["checked_at"] = [
            _("The check is after the departure (%(departs)s).")
            % {"departs": rules.local_text(departs, first.origin_tz)}
        ]
    elif checked_at < opens:
        errors["checked_at"] = [
            _("The check must be done within 72 hours before the departure at %(departs)s, so from %(opens)s.")
            % {
                "departs": rules.local_text(departs, first.origin_tz),
                "opens": rules.local_text(opens, first.origin_tz),
            }
        ]
    note = (note or "").strip()
    passed = bool(fit_to_travel and documents_in_order and still_willing)
    if not passed and not note:
        errors["note"] = [_("Say what failed: the departure is stopped until a new check passes.")]
    refuse(_("The check could not be recorded: check the fields marked."), errors)
    with about_case(case.pk):
        check = PreDepartureCheck.objects.create(
            itinerary=itinerary,
            checked_at=checked_at,
            checked_by=acting_user,
            fit_to_travel=bool(fit_to_travel),
            documents_in_order=bool(documents_in_order),
            still_willing=bool(still_willing),
            note=note,
        )
    # The note may be about health; the task, seen by every role, only says how it went.
    outcome = _("passed") if passed else _("failed")
    work.task_done_for(case=case, kind=TaskKind.PRE_DEPARTURE_CHECK, by=acting_user, outcome=outcome)
    return check
