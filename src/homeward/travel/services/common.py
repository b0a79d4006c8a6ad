"""The checks every travel service makes: who arranges travel, and when an itinerary can change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember
from homeward.core.errors import ServiceError
from homeward.travel.models import Itinerary


def require_travel(user: User, case: Case) -> None:
    if not permissions.has_perm_in(user, Perm.ARRANGE_TRAVEL, case.host_mission_id):
        raise PermissionDenied(_("Only the host mission's movement officers and supervisors arrange travel."))


def require_before_departure(case: Case) -> None:
    if case.status not in workflow.BEFORE_DEPARTURE:
        raise ServiceError(
            _("Travel cannot be arranged for a case that is %(status)s.") % {"status": case.get_status_display()}
        )


def refuse(message: str, errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(message, errors)


def lock(itinerary: Itinerary) -> None:
    """Re-read the itinerary under a row lock: two people editing it queue up, the second sees the first's work."""
    Itinerary.objects.select_for_update().filter(pk=itinerary.pk).exists()
    itinerary.refresh_from_db()


def require_draft(itinerary: Itinerary) -> None:
    if itinerary.status != Itinerary.Status.DRAFT:
        raise ServiceError(
            _(
                "This itinerary is %(status)s: its segments, tickets and travellers can only change while it is "
                "a draft. Put it back to draft first."
            )
            % {"status": itinerary.get_status_display()}
        )


def name_of(member: CaseMember) -> str:
    return member.person.full_name
