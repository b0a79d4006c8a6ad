"""Itineraries: their travellers and details, confirmation, cancellation and reconciliation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.travel import rules
from homeward.travel.models import AssistanceLeg, Itinerary, Segment, SpecialNeed, Ticket
from homeward.travel.services.common import lock, name_of, require_before_departure, require_draft, require_travel
from homeward.work import services as work
from homeward.work.models import TaskKind


def _travellers(case: Case, travellers: Iterable[CaseMember] | None) -> list[CaseMember]:
    if travellers is None:
        return list(case.members.all())
    chosen = list(travellers)
    outsiders = [m for m in chosen if m.case_id != case.pk]
    if outsiders:
        names = ", ".join(name_of(m) for m in outsiders)
        raise ServiceError(
            _("%(names)s not in this case.") % {"names": names},
            {"travellers": [_("%(names)s: not in this case.") % {"names": names}]},
        )
    if not chosen:
        raise ServiceError(_("Choose at least one traveller."), {"travellers": [_("Choose at least one traveller.")]})
    return chosen


def _special_needs(needs: Iterable[str]) -> list[str]:
    needs = list(dict.fromkeys(needs or []))
    unknown = [n for n in needs if n not in SpecialNeed.values]
    if unknown:
        raise ServiceError(
            _("Unknown special need: %(codes)s.") % {"codes": ", ".join(unknown)},
            {"special_needs": [_("Choose special needs from the list.")]},
        )
    return needs


def _details(**values: str) -> dict[str, str]:
    return {name: (value or "").strip() for name, value in values.items()}


@service
def itinerary_create(
    *,
    acting_user: User,
    case: Case,
    booking_reference: str = "",
    travellers: Iterable[CaseMember] | None = None,
    baggage_allowance: str = "",
    special_needs: Iterable[str] = (),
    escorts: str = "",
    onward_transport: str = "",
    final_address: str = "",
) -> Itinerary:
    """Start an itinerary (a draft) for some or all of a case's members.

    Rule: only for a case that has not departed; travellers are members of the case.
    """
    require_travel(acting_user, case)
    require_before_departure(case)
    chosen = _travellers(case, travellers)
    needs = _special_needs(special_needs)
    with about_case(case.pk):
        itinerary = Itinerary.objects.create(
            case=case,
            special_needs=needs,
            created_by=acting_user,
            **_details(
                booking_reference=booking_reference,
                baggage_allowance=baggage_allowance,
                escorts=escorts,
                onward_transport=onward_transport,
                final_address=final_address,
            ),
        )
        itinerary.travellers.set(chosen)
    return itinerary


@service
def itinerary_update(
    *,
    acting_user: User,
    itinerary: Itinerary,
    booking_reference: str = "",
    travellers: Iterable[CaseMember] | None = None,
    baggage_allowance: str = "",
    special_needs: Iterable[str] = (),
    escorts: str = "",
    onward_transport: str = "",
    final_address: str = "",
) -> Itinerary:
    """Change an itinerary's details. Rule: a draft or confirmed itinerary only; the travellers
    change only on a draft, and a traveller with a ticket keeps their place until it is removed."""
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    if itinerary.status not in {Itinerary.Status.DRAFT, Itinerary.Status.CONFIRMED}:
        raise ServiceError(
            _("This itinerary is %(status)s and can no longer change.") % {"status": itinerary.get_status_display()}
        )
    values: dict[str, Any] = _details(
        booking_reference=booking_reference,
        baggage_allowance=baggage_allowance,
        escorts=escorts,
        onward_transport=onward_transport,
        final_address=final_address,
    )
    values["special_needs"] = _special_needs(special_needs)
    new_travellers = None
    if travellers is not None:
        chosen = _travellers(case, travellers)
        current = set(itinerary.travellers.values_list("pk", flat=True))
        if {m.pk for m in chosen} != current:
            require_draft(itinerary)
            dropped = (
                Ticket.objects.filter(itinerary=itinerary).exclude(member__in=chosen).select_related("member__person")
            )
            if dropped:
                names = ", ".join(name_of(t.member) for t in dropped)
                raise ServiceError(
                    _("%(names)s still has a ticket on this itinerary: remove the ticket first.") % {"names": names},
                    {"travellers": [_("Remove the ticket of %(names)s first.") % {"names": names}]},
                )
            new_travellers = chosen
    changed = [name for name, value in values.items() if getattr(itinerary, name) != value]
    for name in changed:
        setattr(itinerary, name, values[name])
    with about_case(case.pk):
        if changed:
            itinerary.save(update_fields=[*changed, "updated_at"])
        if new_travellers is not None:
            itinerary.travellers.set(new_travellers)
    return itinerary


def _stale_assistance(itinerary: Itinerary, segments: list[Segment]) -> list[AssistanceLeg]:
    needed = set(rules.needed_legs(segments))
    return [leg for leg in itinerary.assistance.all() if (leg.kind, leg.airport) not in needed]


@service
def itinerary_confirm(*, acting_user: User, itinerary: Itinerary) -> Itinerary:
    """Confirm a booking. Rule: a draft with at least one segment, flights that connect, a
    ticket for every traveller, help only at the route's airports, and no other confirmed
    itinerary for the case."""
    case = itinerary.case
    require_travel(acting_user, case)
    # Lock the case: two itineraries confirmed at once would both see no other confirmed one.
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    case.refresh_from_db(fields=["status"])
    lock(itinerary)
    if itinerary.status != Itinerary.Status.DRAFT:
        raise ServiceError(
            _("Only a draft itinerary can be confirmed; this one is %(status)s.")
            % {"status": itinerary.get_status_display()}
        )
    require_before_departure(case)
    segments = list(itinerary.segments.all())
    if not segments:
        raise ServiceError(_("Add at least one segment before confirming the itinerary."))
    broken = rules.first_break(segments)
    if broken:
        raise ServiceError(broken.message)
    ticketed = set(itinerary.tickets.values_list("member_id", flat=True))
    missing = [name_of(m) for m in itinerary.travellers.select_related("person") if m.pk not in ticketed]
    if missing:
        raise ServiceError(_("No ticket for %(names)s.") % {"names": ", ".join(missing)})
    stale = _stale_assistance(itinerary, segments)
    if stale:
        raise ServiceError(
            _("Assistance at %(airports)s no longer fits the route: change or remove it.")
            % {"airports": ", ".join(f"{leg.get_kind_display()} {leg.airport}" for leg in stale)}
        )
    other = case.itineraries.filter(status=Itinerary.Status.CONFIRMED).exclude(pk=itinerary.pk).first()
    if other is not None:
        raise ServiceError(
            _("Itinerary %(reference)s is already confirmed for this case: cancel it or put it back to draft first.")
            % {"reference": other.booking_reference or f"#{other.pk}"}
        )
    itinerary.status = Itinerary.Status.CONFIRMED
    with about_case(case.pk):
        itinerary.save(update_fields=["status", "updated_at"])
    work.task_done_for(case=case, kind=TaskKind.BOOK_TRAVEL, by=acting_user, outcome=itinerary.booking_reference)
    return itinerary


@service
def itinerary_back_to_draft(*, acting_user: User, itinerary: Itinerary) -> Itinerary:
    """Unlock a confirmed itinerary to change it. Rule: not while the case is booked on it
    ("Change the booking" on the case does that, and unwinds the booking)."""
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    if itinerary.status != Itinerary.Status.CONFIRMED:
        raise ServiceError(_("Only a confirmed itinerary can go back to draft."))
    if case.status == CaseStatus.TRAVEL_BOOKED:
        raise ServiceError(
            _("The case is booked on this itinerary: use “Change the booking” on the case to change it.")
        )
    itinerary.status = Itinerary.Status.DRAFT
    with about_case(case.pk):
        itinerary.save(update_fields=["status", "updated_at"])
    return itinerary


@service
def itinerary_cancel(*, acting_user: User, itinerary: Itinerary) -> Itinerary:
    """Cancel an itinerary that will not be flown. Rule: what was bought for it (tickets, a
    confirmed booking) is flagged for reconciliation; a booked case is changed on the case first."""
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    if itinerary.status not in {Itinerary.Status.DRAFT, Itinerary.Status.CONFIRMED}:
        raise ServiceError(
            _("This itinerary is %(status)s and cannot be cancelled.") % {"status": itinerary.get_status_display()}
        )
    if itinerary.status == Itinerary.Status.CONFIRMED and case.status == CaseStatus.TRAVEL_BOOKED:
        raise ServiceError(
            _("The case is booked on this itinerary: use “Change the booking” on the case, which cancels it.")
        )
    bought = itinerary.status == Itinerary.Status.CONFIRMED or itinerary.tickets.exists()
    itinerary.status = Itinerary.Status.CANCELLED
    fields = ["status", "updated_at"]
    if bought and not itinerary.needs_reconciliation:
        itinerary.needs_reconciliation = True
        fields.append("needs_reconciliation")
    with about_case(case.pk):
        itinerary.save(update_fields=fields)
    return itinerary


@service
def itinerary_reconciled(*, acting_user: User, itinerary: Itinerary, note: str = "") -> Itinerary:
    """Record that the tickets, cash and assistance of a journey not flown are settled.

    Rule: only an itinerary flagged for reconciliation; the case's reconciliation task is done.
    """
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    if not itinerary.needs_reconciliation:
        raise ServiceError(_("This itinerary has nothing to reconcile."))
    itinerary.needs_reconciliation = False
    itinerary.reconciled_at = timezone.now()
    with about_case(case.pk):
        itinerary.save(update_fields=["needs_reconciliation", "reconciled_at", "updated_at"])
    work.task_done_for(case=case, kind=TaskKind.RECONCILE_NO_SHOW, by=acting_user, outcome=(note or "").strip())
    return itinerary
