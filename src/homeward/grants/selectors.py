"""Every read of grants, scoped to the user: a case's grants, one grant, the airport cash to reconcile."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from homeward.accounts import permissions
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.cases.workflow import BEFORE_DEPARTURE
from homeward.grants import policy
from homeward.grants.models import Grant
from homeward.reintegration.models import Component, Plan

S = CaseStatus
# Reached only before departure: a case in one of these never left.
NEVER_LEFT = (S.NO_SHOW, S.WITHDRAWN, S.CANCELLED)
# The ways a journey may end before the aircraft: reached from a status before departure.
MISSED = (S.NO_SHOW, S.WITHDRAWN, S.CANCELLED, S.LOST_CONTACT, S.NOT_ELIGIBLE)
RELATED = ("case", "member__person", "proposed_by", "approved_by", "paid_by", "settled_by", "budget_line", "component")


def grants_of(user: Any, case: Case) -> QuerySet[Grant]:
    """The case's grants, oldest first, with who proposed, approved and paid them; none for a user who may not see it."""
    if not permissions.can_view_case(user, case):
        return Grant.objects.none()
    return Grant.objects.filter(case=case).select_related(*RELATED).order_by("proposed_at", "pk")


def grant_for_user(user: Any, grant_id: int) -> Grant:
    """One grant of a case the user may see, or 404."""
    grant = (
        Grant.objects.filter(permissions.case_scope(user, prefix="case__"))
        .select_related(*RELATED, "case__host_mission", "case__referred_to_mission", "component__plan")
        .filter(pk=grant_id)
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def _missed_since_prepared() -> Any:
    """Transitions out of the journey before departure, recorded after the grant was prepared."""
    return Transition.objects.filter(
        case=OuterRef("case"), to_status__in=MISSED, from_status__in=BEFORE_DEPARTURE, at__gte=OuterRef("proposed_at")
    )


def airport_cash_to_reconcile(user: Any, case: Case | None = None) -> QuerySet[Grant]:
    """Cash handed over at the airport for a traveller who did not depart, until it is returned or re-issued.

    "Did not depart": the case is a no-show, withdrawn or cancelled (reached only before
    departure), or lost contact without ever departing, or one of these was recorded after
    the grant was prepared (a no-show rebooked since still owes its cash). Scoped to the
    missions where the user pays, arranges travel or supervises.
    """
    missions = policy.reconciling_missions(user)
    if not missions:
        return Grant.objects.none()
    departed = Transition.objects.filter(case=OuterRef("case"), to_status=S.DEPARTED)
    did_not_depart = (
        Q(case__status__in=NEVER_LEFT)
        | (Q(case__status=S.LOST_CONTACT) & ~Exists(departed))
        | Exists(_missed_since_prepared())
    )
    grants = (
        Grant.objects.filter(
            Q(case__host_mission_id__in=missions) | Q(case__referred_to_mission_id__in=missions),
            at_airport=True,
            status__in=(Grant.Status.APPROVED, Grant.Status.PAID),
            returned_on__isnull=True,
            reissued_on__isnull=True,
        )
        .filter(did_not_depart)
        .annotate(
            missed_at=Subquery(
                Transition.objects.filter(case=OuterRef("case"), to_status__in=MISSED, from_status__in=BEFORE_DEPARTURE)
                .order_by("-at")
                .values("at")[:1]
            )
        )
        .select_related(*RELATED)
        .order_by("proposed_at", "pk")
    )
    return grants.filter(case=case) if case is not None else grants


def cash_components(case: Case) -> list[Any]:
    """The components a reintegration cash grant may pay: delivered in cash, in an approved plan, without a live grant."""
    return list(
        Component.objects.exclude(grants__status__in=policy.LIVE)
        .filter(
            plan__case=case,
            plan__status=Plan.Status.APPROVED,
            delivery=Component.Delivery.CASH,
            status__in=(Component.Status.APPROVED, Component.Status.IN_DELIVERY, Component.Status.PLANNED),
        )
        .select_related("plan__member__person")
    )


def component_of(case: Case, component_id: int) -> Any:
    """A component of one of the case's plans, or 404."""
    component = Component.objects.filter(plan__case=case, pk=component_id).select_related("plan").first()
    if component is None:
        raise Http404
    return component
