"""Tickets: one per traveller of the itinerary, with its cost."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.cases.models import CaseMember
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.travel.models import Itinerary, Ticket
from homeward.travel.services.common import lock, name_of, refuse, require_draft, require_travel

MAX_COST = Decimal("99999999.99")


def _cost(cost: Any, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        amount = cost if isinstance(cost, Decimal) else Decimal(str(cost))
    except (InvalidOperation, ValueError):
        errors["cost"] = [_("Give the cost as a number, e.g. 412.50.")]
        return None
    if not amount.is_finite() or amount < 0:
        errors["cost"] = [_("The cost cannot be negative.")]
    elif amount > MAX_COST or amount != amount.quantize(Decimal("0.01")):
        errors["cost"] = [_("Give the cost with at most two decimals.")]
    return amount


@service
def ticket_add(
    *, acting_user: User, itinerary: Itinerary, member: CaseMember | None, number: str, cost: Any, currency: str
) -> Ticket:
    """Record a traveller's ticket. Rule: for a traveller of this itinerary (so a member of the
    case), one each, with its cost in an ISO 4217 currency; only while the itinerary is a draft."""
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    require_draft(itinerary)
    if member is None or member.case_id != case.pk:
        who = name_of(member) if member is not None else _("This person")
        message = _("%(name)s is not in case %(reference)s: a ticket is only for a traveller of the case.") % {
            "name": who,
            "reference": case.reference,
        }
        raise ServiceError(message, {"member": [message]})
    if not itinerary.travellers.filter(pk=member.pk).exists():
        message = _("%(name)s is not a traveller on this itinerary.") % {"name": name_of(member)}
        raise ServiceError(message, {"member": [message]})
    existing = itinerary.tickets.filter(member=member).first()
    if existing is not None:
        message = _("%(name)s already has a ticket on this itinerary (%(number)s).") % {
            "name": name_of(member),
            "number": existing.number,
        }
        raise ServiceError(message, {"member": [message]})
    errors: dict[str, list[str]] = {}
    number = (number or "").strip().replace(" ", "")
    if not number:
        errors["number"] = [_("Give the ticket number.")]
    amount = _cost(cost, errors)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or pycountry.currencies.get(alpha_3=currency) is None:
        errors["currency"] = [_("Give an ISO 4217 currency code, e.g. EUR.")]
    refuse(_("The ticket could not be saved: check the fields marked."), errors)
    with about_case(case.pk):
        return Ticket.objects.create(itinerary=itinerary, member=member, number=number, cost=amount, currency=currency)


@service
def ticket_remove(*, acting_user: User, ticket: Ticket) -> None:
    """Take a ticket off a draft itinerary (e.g. typed for the wrong traveller)."""
    itinerary = ticket.itinerary
    require_travel(acting_user, itinerary.case)
    lock(itinerary)
    require_draft(itinerary)
    with about_case(itinerary.case_id):
        ticket.delete()
