"""Finding the persons a profile probably is, and what a user may learn about them.

``find`` looks candidates up by blocking key (indexed: ``MatchKey``), scores each with the model
and keeps those at or above the threshold, best first. ``for_user`` dresses the matches for a
reader: the earlier cases they may open, with their outcome (returned when, under which
programme, reintegration received); for a case of a mission they cannot see, only that a match
exists there and whom to ask.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.matching import keys
from homeward.matching.compare import Vector
from homeward.matching.model import Contribution, Parameters, shipped
from homeward.matching.models import MatchKey, MatchRecord, NotSamePerson, TrainedModel
from homeward.matching.profile import Profile, of_row
from homeward.matching.scoring import score

# Candidates scored at most for one look-up, those sharing most keys first (200 keeps the p95 of a
# check at 1,000,000 persons near 14 ms, see bench/README.md): a name shared by
# thousands is not narrowed further by scoring them all; the identity keys still find the person.
MAX_CANDIDATES = 200
PROFILE_FIELDS = (
    "names",
    "sex",
    "birth_date",
    "birth_precision",
    "nationality",
    "place_of_birth",
    "phone",
    "documents",
)
_PARAMETERS: tuple[float, Parameters] | None = None


def threshold() -> float:
    """The probability from which a pair is shown as a likely match (``HOMEWARD_MATCH_THRESHOLD``)."""
    return float(getattr(settings, "HOMEWARD_MATCH_THRESHOLD", 0.5))


def parameters() -> Parameters:
    """The latest model estimated on this installation's people, else the shipped one (re-read each minute)."""
    global _PARAMETERS
    now = time.monotonic()
    if _PARAMETERS is None or now - _PARAMETERS[0] > 60:
        latest = TrainedModel.objects.only("parameters").first()
        _PARAMETERS = (now, Parameters.from_json(latest.parameters) if latest else shipped())
    return _PARAMETERS[1]


def forget_parameters() -> None:
    global _PARAMETERS
    _PARAMETERS = None


@dataclass(frozen=True)
class Match:
    person_id: int
    probability: float
    vector: Vector
    contributions: tuple[Contribution, ...]


def _candidate_ids(profile: Profile) -> Q:
    by_name = Q(key__in=sorted(keys.name_keys(profile)))
    year = profile.birth_year
    if year is not None:
        by_name &= Q(birth_year__range=(year - 1, year + 1)) | Q(birth_year__isnull=True)
    return by_name | Q(key__in=sorted(keys.identity_keys(profile)))


def record_profile(record: MatchRecord) -> Profile:
    return of_row(*(getattr(record, name) for name in PROFILE_FIELDS))


def not_same_as(person_id: int) -> set[int]:
    """The persons a supervisor said are not ``person_id``."""
    pairs = NotSamePerson.objects.filter(Q(first_id=person_id) | Q(second_id=person_id))
    return {b if a == person_id else a for a, b in pairs.values_list("first_id", "second_id")}


def find(
    profile: Profile, *, exclude: Iterable[int] = (), at_least: float | None = None, limit: int = 10
) -> list[Match]:
    """The persons ``profile`` probably is, most probable first; none when it cannot be compared."""
    if not profile.comparable and not keys.identity_keys(profile):
        return []
    floor = threshold() if at_least is None else at_least
    # The candidates sharing most keys first (a true match shares many), read as ids into a list:
    # as a subquery, the planner misjudges a common name and scans every match record.
    skip = set(exclude)
    ids = [
        pk
        for pk in MatchKey.objects.filter(_candidate_ids(profile))
        .values("person_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "person_id")
        .values_list("person_id", flat=True)[: MAX_CANDIDATES + len(skip)]
        if pk not in skip
    ][:MAX_CANDIDATES]
    model = parameters()
    found = []
    # Tuples, not model instances: at a few hundred candidates per keystroke the difference shows.
    for person_id, *row in MatchRecord.objects.filter(person_id__in=ids).values_list("person_id", *PROFILE_FIELDS):
        scored = score(profile, of_row(*row), model)
        if scored.probability >= floor:
            found.append(Match(person_id, scored.probability, scored.vector, scored.contributions))
    found.sort(key=lambda m: (-m.probability, m.person_id))
    return found[:limit]


def find_for_person(person_id: int, *, at_least: float | None = None, limit: int = 10) -> list[Match]:
    """Other records that are probably this saved person, leaving out pairs said to be two people."""
    record = MatchRecord.objects.filter(person_id=person_id).first()
    if record is None:
        return []
    return find(record_profile(record), exclude={person_id, *not_same_as(person_id)}, at_least=at_least, limit=limit)


# --- What a reader learns ----------------------------------------------------


@dataclass
class EarlierCase:
    """One case a matched person is in, as far as the reader may see it."""

    mission: Mission
    visible: bool
    reference: str = ""
    status: str = ""
    status_label: str = ""
    programme: str = ""
    returned_on: dt.date | None = None
    reintegration_received: bool = False


@dataclass
class MatchView:
    match: Match
    person: object | None  # people.Person when any of its cases is visible, else None
    cases: list[EarlierCase] = field(default_factory=list)
    # For cases the reader may not open: whom to ask in those missions.
    contacts: dict[Mission, list[User]] = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        return self.person is not None

    @property
    def hidden_missions(self) -> list[Mission]:
        return sorted({c.mission for c in self.cases if not c.visible}, key=lambda m: m.code)


def returns_of(case_ids: Iterable[int]) -> dict[int, dt.date]:
    """The day each case departed with assistance (its first move to "departed")."""
    from homeward.cases.models import CaseStatus, Transition

    found: dict[int, dt.date] = {}
    moves = Transition.objects.filter(case_id__in=list(case_ids), to_status=CaseStatus.DEPARTED).order_by("at")
    for case_id, at in moves.values_list("case_id", "at"):
        found.setdefault(case_id, timezone.localdate(at))
    return found


def for_user(user: User, matches: list[Match], *, keep_caseless: bool = False) -> list[MatchView]:
    """The matches as ``user`` may see them: details of visible cases, only mission and contacts otherwise."""
    from homeward.cases.models import CaseMember
    from homeward.people.models import Person
    from homeward.reintegration.models import Component

    if not matches:
        return []
    ids = [m.person_id for m in matches]
    memberships = list(
        CaseMember.objects.filter(person_id__in=ids)
        .select_related("case__host_mission", "case__programme")
        .order_by("case__inquiry_date", "case_id")
    )
    visible_cases = set(
        CaseMember.objects.filter(person_id__in=ids)
        .filter(permissions.case_scope(user, prefix="case__"))
        .values_list("case_id", flat=True)
    )
    case_ids = {m.case_id for m in memberships}
    returned = returns_of(case_ids)
    helped = set(
        Component.objects.filter(plan__case_id__in=case_ids, status=Component.Status.DELIVERED).values_list(
            "plan__case_id", flat=True
        )
    )
    persons = Person.objects.in_bulk(ids)
    contacts: dict[int, list[User]] = {}
    views = []
    for match in matches:
        cases = []
        for member in (m for m in memberships if m.person_id == match.person_id):
            case = member.case
            if case.pk in visible_cases:
                cases.append(
                    EarlierCase(
                        mission=case.host_mission, visible=True, reference=case.reference, status=case.status,
                        status_label=case.get_status_display(), programme=case.programme.code if case.programme else "",
                        returned_on=returned.get(case.pk), reintegration_received=case.pk in helped,
                    )
                )  # fmt: skip
            else:
                cases.append(EarlierCase(mission=case.host_mission, visible=False))
        if not cases and not keep_caseless:  # taken out of every case: nothing to show, nobody to ask
            continue
        view = MatchView(match, persons.get(match.person_id) if any(c.visible for c in cases) else None, cases)
        for mission in view.hidden_missions:
            if mission.pk not in contacts:  # once per mission, however many matches it holds
                contacts[mission.pk] = list(permissions.users_with(Perm.ASSIGN_CASE, [mission.pk])[:3])
            view.contacts[mission] = contacts[mission.pk]
        views.append(view)
    return views
