"""Reads of outreach, scoped to the user's missions, and the funnel a programme's reports use.

Who reads what:
- campaigns, sessions, materials and meetings: anyone who reads cases or aggregates in the campaign's mission;
- hotline calls (they hold callers' names and phones): those who read cases in the call's mission;
- the funnel and outreach figures: those who read aggregates in one of the programme's missions.
Something outside the user's missions is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.outreach.models import (
    Campaign,
    CaseSource,
    HotlineCall,
    HowHeard,
    InfoSession,
    MaterialDistribution,
    OutreachMeeting,
)
from homeward.programmes.models import Programme

# Who records outreach and takes calls: the caseworkers of the mission (counsellors, supervisors).
WRITE_PERM = Perm.REGISTER_CASE


def read_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, Perm.VIEW_CASE) | permissions.mission_ids_with(user, Perm.VIEW_AGGREGATES)


def may_write(user: Any, mission_id: int | None) -> bool:
    return permissions.has_perm_in(user, WRITE_PERM, mission_id)


def write_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, WRITE_PERM)


# ---------------------------------------------------------------- campaigns


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(mission_id__in=read_missions(user))
        .select_related("mission", "programme")
        .annotate(session_count=Count("sessions", distinct=True))
    )


def campaign_for(user: Any, pk: int) -> Campaign:
    campaign = Campaign.objects.select_related("mission", "programme").filter(pk=pk, mission_id__in=read_missions(user))
    found = campaign.first()
    if found is None:
        raise Http404
    return found


def sessions_of(campaign: Campaign) -> QuerySet[InfoSession]:
    return campaign.sessions.select_related("recorded_by")


def materials_of(campaign: Campaign) -> QuerySet[MaterialDistribution]:
    return campaign.materials.select_related("recorded_by")


def meetings_of(campaign: Campaign) -> QuerySet[OutreachMeeting]:
    return campaign.meetings.select_related("recorded_by")


def sessions_for_case(case: Case) -> QuerySet[InfoSession]:
    """The sessions a case's people may have come from: those of its host mission's campaigns, latest first."""
    return InfoSession.objects.filter(campaign__mission_id=case.host_mission_id).select_related("campaign")[:100]


# ---------------------------------------------------------------- hotline


def calls_for(user: Any) -> QuerySet[HotlineCall]:
    missions = permissions.mission_ids_with(user, Perm.VIEW_CASE)
    return HotlineCall.objects.filter(mission_id__in=missions).select_related("mission", "taken_by", "case")


def call_for(user: Any, pk: int) -> HotlineCall:
    call = calls_for(user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def calls_for_case(case: Case) -> QuerySet[HotlineCall]:
    """Calls a case's people may have made: its host mission's calls not yet turned into another case."""
    return HotlineCall.objects.filter(mission_id=case.host_mission_id).filter(Q(case__isnull=True) | Q(case=case))[:100]


def source_of(case: Case) -> CaseSource | None:
    return CaseSource.objects.select_related("session__campaign", "call").filter(case=case).first()


# ---------------------------------------------------------------- the funnel


def funnel_programme_for(user: Any, pk: int) -> Programme:
    """A programme whose figures the user may read: 404 outside their missions, 403 without aggregates."""
    programme = Programme.objects.prefetch_related("missions").filter(pk=pk).first()
    if programme is None:
        raise Http404
    missions = {m.pk for m in programme.missions.all()}
    if not (missions & set(permissions.roles_by_mission(user))) and not user.is_superuser:
        raise Http404
    if not (missions & permissions.mission_ids_with(user, Perm.VIEW_AGGREGATES)) and not user.is_superuser:
        raise PermissionDenied(_("Your role does not show programme figures."))
    return programme


def funnel_programmes(user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(missions__in=permissions.mission_ids_with(user, Perm.VIEW_AGGREGATES)).distinct()


@dataclass
class Stage:
    key: str
    count: int


@dataclass
class Funnel:
    """Contact → inquiry → registration → declaration → departure, and the outreach behind it, in a period."""

    programme: Programme
    date_from: dt.date
    date_to: dt.date
    calls: int
    participants: int
    inquiries: int
    registrations: int
    declarations: int
    departures: int
    sessions: int
    participants_by_group: dict[str, int]
    interpreters: int
    materials_by_kind: dict[str, int]
    calls_by_topic: dict[str, int]
    meetings_by_kind: dict[str, int]
    # how heard → {stage: count}; "" is "not recorded".
    by_source: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def contacts(self) -> int:
        return self.calls + self.participants

    @property
    def stages(self) -> list[Stage]:
        return [
            Stage("contacts", self.contacts),
            Stage("inquiries", self.inquiries),
            Stage("registrations", self.registrations),
            Stage("declarations", self.declarations),
            Stage("departures", self.departures),
        ]


def programme_cases(programme: Programme) -> QuerySet[Case]:
    """The programme's cases: those assessed under it, and those of its missions not yet assessed under any.

    An inquiry has no programme until it is assessed; it counts for every programme of
    its host mission meanwhile, so a mission with two programmes sees it in both.
    """
    missions = [m.pk for m in programme.missions.all()]
    return Case.objects.filter(Q(programme=programme) | Q(programme__isnull=True, host_mission_id__in=missions))


def _moved(cases: QuerySet[Case], to: str, date_from: dt.date, date_to: dt.date) -> QuerySet[Case]:
    # A case reopened and moved twice still counts once.
    moved = Transition.objects.filter(to_status=to, at__date__gte=date_from, at__date__lte=date_to)
    return cases.filter(pk__in=moved.values("case_id"))


def _stage_sets(cases: QuerySet[Case], date_from: dt.date, date_to: dt.date) -> dict[str, QuerySet[Case]]:
    return {
        "inquiries": cases.filter(inquiry_date__gte=date_from, inquiry_date__lte=date_to),
        "registrations": cases.filter(registered_on__gte=date_from, registered_on__lte=date_to),
        "declarations": _moved(cases, CaseStatus.RETURN_DECLARED, date_from, date_to),
        "departures": _moved(cases, CaseStatus.DEPARTED, date_from, date_to),
    }


def _by_source(sets: dict[str, QuerySet[Case]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {how: {} for how in [*HowHeard.values, ""]}
    for stage, qs in sets.items():
        rows = qs.values("outreach_source__how").annotate(n=Count("pk", distinct=True))
        for row in rows:
            table[row["outreach_source__how"] or ""][stage] = row["n"]
    return {how: counts for how, counts in table.items() if counts}


def funnel(programme: Programme, date_from: dt.date, date_to: dt.date) -> Funnel:
    """The programme's funnel and outreach figures from ``date_from`` to ``date_to`` (both included).

    Contacts are hotline calls to the programme's missions plus participants in the sessions
    of its campaigns; an inquiry is a case first contacted in the period, a registration one
    registered in it; declarations and departures are moves (``Transition``) made in it.
    """
    missions = [m.pk for m in programme.missions.all()]
    sets = _stage_sets(programme_cases(programme), date_from, date_to)
    sessions = InfoSession.objects.filter(campaign__programme=programme, held_on__gte=date_from, held_on__lte=date_to)
    groups = sessions.aggregate(
        **{name: Sum(name) for name in InfoSession.PARTICIPANT_FIELDS},
        interpreters_total=Sum("interpreters"),
        count=Count("pk"),
    )
    calls = HotlineCall.objects.filter(
        mission_id__in=missions, received_at__date__gte=date_from, received_at__date__lte=date_to
    )
    materials = MaterialDistribution.objects.filter(
        campaign__programme=programme, distributed_on__gte=date_from, distributed_on__lte=date_to
    )
    meetings = OutreachMeeting.objects.filter(
        campaign__programme=programme, held_on__gte=date_from, held_on__lte=date_to
    )
    by_group = {name: groups[name] or 0 for name in InfoSession.PARTICIPANT_FIELDS}
    return Funnel(
        programme=programme,
        date_from=date_from,
        date_to=date_to,
        calls=calls.count(),
        participants=sum(by_group.values()),
        inquiries=sets["inquiries"].count(),
        registrations=sets["registrations"].count(),
        declarations=sets["declarations"].count(),
        departures=sets["departures"].count(),
        sessions=groups["count"],
        participants_by_group=by_group,
        interpreters=groups["interpreters_total"] or 0,
        materials_by_kind=dict(materials.values_list("kind").annotate(n=Sum("quantity")).order_by("kind")),
        calls_by_topic=dict(calls.values_list("topic").annotate(n=Count("pk")).order_by("topic")),
        meetings_by_kind=dict(meetings.values_list("with_whom").annotate(n=Count("pk")).order_by("with_whom")),
        by_source=_by_source(sets),
    )
