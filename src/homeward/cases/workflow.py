"""The case workflow in one place: every move, who may make it, and what must be true first.

Read ``STEPS`` top to bottom to see the whole journey home. A guard is a
function that returns the reason a move is refused (in words the user reads),
or ``None``. ``TASK_RULES`` says which work a state creates and until when.
``docs/workflow.md`` carries a diagram generated from this module
(``homeward workflow-diagram``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.accounts import permissions
from homeward.accounts.roles import Perm, Role, Sensitivity
from homeward.cases.models import Case, CaseStatus
from homeward.core.dates import ADULT_AGE
from homeward.work.models import TaskKind

if TYPE_CHECKING:
    from homeward.accounts.models import User

S = CaseStatus

BEFORE_DEPARTURE = frozenset({
    S.INQUIRY, S.REGISTERED, S.ELIGIBILITY_ASSESSED, S.IN_COUNSELLING,
    S.RETURN_DECLARED, S.TRAVEL_PREPARATION, S.TRAVEL_BOOKED, S.NO_SHOW,
})  # fmt: skip
AFTER_ARRIVAL = frozenset({S.ARRIVED, S.REINTEGRATION_PLANNING, S.ASSISTANCE_IN_PROGRESS, S.MONITORING})
# The ways out; a supervisor can reopen a case from any of them.
EXITS = frozenset({S.WITHDRAWN, S.NOT_ELIGIBLE, S.LOST_CONTACT, S.CANCELLED, S.CLOSED})

HOST, ORIGIN = "host", "origin"


@dataclass(frozen=True)
class Attempt:
    """A user asking to move a case, with the note and details they gave."""

    user: User | Any
    note: str = ""
    details: dict[str, str] = field(default_factory=dict)


Guard = Callable[[Case, Attempt], "str | None"]


def guard(label: str) -> Callable[[Guard], Guard]:
    """Name a guard for the diagram and the docs."""

    def mark(func: Guard) -> Guard:
        func.label = label  # type: ignore[attr-defined]
        return func

    return mark


# ---------------------------------------------------------------- guards


@guard("a principal applicant")
def has_principal(case: Case, attempt: Attempt) -> str | None:
    if not case.members.filter(relationship="principal").exists():
        return _("The case has no principal applicant.")
    return None


def _blocking_outcomes(case: Case) -> tuple[str | None, list[str]]:
    """The final outcome of the latest assessment, and the reasons that keep it from eligible.

    The authority's approval is a gate before booking, not before counselling ends,
    so an assessment waiting only for it counts as eligible here.
    """
    assessment = case.assessments.first()
    if assessment is None:
        return None, []
    if assessment.override_outcome:
        return assessment.override_outcome, [assessment.override_reason]
    reasons = [
        o["explanation"]
        for o in assessment.result.get("outcomes", [])
        if o["outcome"] != "eligible" and o["rule"] != "authority_approval"
    ]
    for member in assessment.result.get("members", []):
        reasons += [o["explanation"] for o in member.get("outcomes", []) if o["outcome"] != "eligible"]
    return assessment.outcome, reasons


@guard("assessed eligible")
def assessed_eligible(case: Case, attempt: Attempt) -> str | None:
    outcome, reasons = _blocking_outcomes(case)
    if outcome is None:
        return _("Eligibility has not been assessed.")
    if case.assessments.first().override_outcome:  # type: ignore[union-attr]
        if outcome != "eligible":
            return _("The case was decided not eligible: %(reason)s") % {"reason": reasons[0]}
        return None
    if reasons:
        return _("The case is not assessed eligible: %(reasons)s") % {"reasons": " ".join(reasons)}
    return None


@guard("assessed not eligible")
def assessed_not_eligible(case: Case, attempt: Attempt) -> str | None:
    outcome, _reasons = _blocking_outcomes(case)
    if outcome != "not_eligible":
        return _("Only a case assessed not eligible can be closed as not eligible.")
    return None


@guard("an informed decision to return")
def informed_decision(case: Case, attempt: Attempt) -> str | None:
    decided = case.sessions.exclude(outcome="continue").order_by("-held_on", "-pk").first()
    if decided is None or decided.outcome != "wants_to_return" or not decided.informed_decision:
        return _("No counselling session records an informed decision to return.")
    return None


@guard("in detention: two sessions and a supervisor's sign-off")
def voluntary_in_detention(case: Case, attempt: Attempt) -> str | None:
    sessions = list(case.sessions.order_by("held_on", "pk"))
    if not any(s.in_detention for s in sessions):
        return None
    if len(sessions) < 2:
        return _("Counselled in detention: at least two sessions are needed.")
    decided = [s for s in sessions if s.outcome == "wants_to_return" and s.informed_decision]
    if not decided or decided[-1].signed_off_by_id is None:
        return _("Counselled in detention: a case supervisor must sign off that the decision is voluntary.")
    return None


def adults(case: Case) -> list[Any]:
    """Who signs the declaration: the principal applicant and everyone who may be 18 or over.

    A person whose date of birth is unknown or uncertain signs unless they are
    certainly a child: a missing signature is worse than one too many.
    """
    today = timezone.localdate()
    members = case.members.select_related("person")
    return [
        m for m in members
        if m.is_principal or m.person.date_of_birth is None or m.person.date_of_birth.age_range(today)[1] >= ADULT_AGE
    ]  # fmt: skip


@guard("a declaration signed by every adult")
def declaration_signed(case: Case, attempt: Attempt) -> str | None:
    from homeward.counselling.selectors import latest_declaration

    declaration = latest_declaration(case)
    if declaration is None or not declaration.is_signed:
        return _("The signed declaration of voluntary return has not been uploaded.")
    if not declaration.consent_processing:
        return _("The declaration does not record consent to the processing of personal data.")
    signed = set(declaration.signatories.values_list("pk", flat=True))
    missing = [str(m.person) for m in adults(case) if m.pk not in signed]
    if missing:
        return _("The declaration is not signed by %(names)s.") % {"names": ", ".join(missing)}
    return None


@guard("no withdrawn consent to processing")
def processing_consent_standing(case: Case, attempt: Attempt) -> str | None:
    """A member who withdrew consent to the processing of their data stops the assistance going on;
    the ways out (withdrawal, closure, lost contact) stay open, and a consent given again lifts it."""
    from homeward.privacy.models import Purpose
    from homeward.privacy.selectors import withdrawn_members

    withdrawn = withdrawn_members(case, Purpose.PROCESSING)
    if withdrawn:
        return _(
            "%(names)s withdrew consent to the processing of personal data: record the consent again on the "
            "case's consents page, or close the case."
        ) % {"names": ", ".join(str(m.person) for m in withdrawn)}
    return None


def confirmed_itinerary(case: Case) -> Any:
    return case.itineraries.filter(status="confirmed").prefetch_related("segments", "tickets").last()


def travel_date(case: Case) -> dt.date:
    """The day the journey ends (documents must still be valid then); today when nothing is booked."""
    itinerary = confirmed_itinerary(case)
    segments = list(itinerary.segments.all()) if itinerary else []
    if not segments:
        return timezone.localdate()
    last = segments[-1]
    return timezone.localtime(last.arrives_at, timezone=_zone(last.destination_tz)).date()


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def travellers_without_document(case: Case, on: dt.date | None = None) -> list[Any]:
    """Members with no travel document valid on the travel date (or ``on``): an issued one, or a passport."""
    from homeward.people.models import IdentityDocument
    from homeward.travel.models import TravelDocumentRequest

    on = on or travel_date(case)
    travel_kinds = {IdentityDocument.Kind.PASSPORT, IdentityDocument.Kind.TRAVEL_DOCUMENT}
    members = case.members.select_related("person").prefetch_related("travel_documents", "person__documents")
    missing = []
    for member in members:
        issued = [d for d in member.travel_documents.all() if d.status == TravelDocumentRequest.Status.ISSUED]
        passports = [d for d in member.person.documents.all() if d.kind in travel_kinds]
        if not any(d.expires_on is None or d.expires_on >= on for d in [*issued, *passports]):
            missing.append(member)
    return missing


@guard("a valid travel document for every traveller")
def travel_documents_valid(case: Case, attempt: Attempt) -> str | None:
    missing = travellers_without_document(case)
    if missing:
        return _("No travel document valid until %(date)s for %(names)s.") % {
            "date": travel_date(case).isoformat(),
            "names": ", ".join(str(m.person) for m in missing),
        }
    return None


@guard("a confirmed booking with a ticket for every traveller")
def booking_confirmed(case: Case, attempt: Attempt) -> str | None:
    itinerary = confirmed_itinerary(case)
    if itinerary is None or not itinerary.segments.exists():
        return _("There is no confirmed itinerary.")
    members = list(case.members.select_related("person"))
    travelling = set(itinerary.travellers.values_list("pk", flat=True))
    staying = [str(m.person) for m in members if m.pk not in travelling]
    if staying:
        # Everyone in a case goes home together; someone who stays is taken out of the case.
        return _("%(names)s is not on the confirmed itinerary: the whole case travels together.") % {
            "names": ", ".join(staying)
        }
    ticketed = {t.member_id for t in itinerary.tickets.all()}
    missing = [str(m.person) for m in members if m.pk not in ticketed]
    if missing:
        return _("No ticket for %(names)s.") % {"names": ", ".join(missing)}
    return None


@guard("the safeguarding checklist complete")
def safeguarding_complete(case: Case, attempt: Attempt) -> str | None:
    from homeward.safeguarding.selectors import missing_items

    missing = missing_items(case)
    if missing:
        return _("The safeguarding checklist is not complete: %(count)s items missing.") % {"count": len(missing)}
    return None


@guard("no traveller found unfit to travel")
def no_traveller_unfit(case: Case, attempt: Attempt) -> str | None:
    """The latest fit-to-travel examination (health) of no traveller says unfit, or fit only until
    before the travel date. Who may not see medical facts reads "a traveller", never a name."""
    from homeward.health.selectors import unfit_travellers

    on = travel_date(case)
    found = unfit_travellers(case, on)
    if not found:
        return None
    named = Sensitivity.MEDICAL in permissions.visible_sensitivities(attempt.user, case)
    reasons = []
    for unfit in found:
        if not named:
            reasons.append(
                _("A traveller's fit-to-travel examination is no longer valid on %(date)s.") % {"date": on.isoformat()}
                if unfit.expired
                else _("A traveller was found unfit to travel.")
            )
        elif unfit.expired:
            reasons.append(
                _("The fit-to-travel examination of %(name)s is valid only until %(until)s, before %(date)s.")
                % {"name": unfit.member.person, "until": unfit.exam.valid_until.isoformat(), "date": on.isoformat()}
            )
        else:
            reasons.append(_("%(name)s was found unfit to travel.") % {"name": unfit.member.person})
    return " ".join(dict.fromkeys(reasons))


@guard("the authority's approval, where the programme requires it")
def authority_approval(case: Case, attempt: Attempt) -> str | None:
    assessment = case.assessments.first()
    rule = ((assessment.rules if assessment else {}).get("eligibility") or {}).get("authority_approval") or {}
    if rule.get("required") and case.authority_approval_on is None:
        return _("Approval by %(authority)s must be recorded before travel is booked.") % {
            "authority": rule.get("authority", "")
        }
    return None


@guard("a passed pre-embarkation check")
def pre_departure_check_passed(case: Case, attempt: Attempt) -> str | None:
    itinerary = confirmed_itinerary(case)
    check = itinerary.checks.order_by("-checked_at", "-pk").first() if itinerary else None
    if check is None:
        return _("The pre-embarkation check has not been done.")
    if not check.passed:
        return _("The pre-embarkation check failed: the departure is stopped.")
    first = itinerary.segments.first()
    if first and check.checked_at < first.departs_at - dt.timedelta(hours=72):
        return _("The pre-embarkation check was done more than 72 hours before departure; repeat it.")
    return None


ARRIVAL_CONFIRMATIONS = {
    "origin_mission": gettext_lazy("the mission in the country of origin"),
    "traveller_contact": gettext_lazy("the traveller or their contact"),
}


@guard("arrival confirmed by the origin mission or the traveller's contact")
def arrival_confirmed(case: Case, attempt: Attempt) -> str | None:
    by = attempt.details.get("confirmed_by", "")
    if by == "origin_mission":
        if not permissions.has_perm_in(attempt.user, Perm.RECEIVE_RETURNEE, case.referred_to_mission_id):
            return _("Only the mission the case is referred to can confirm the arrival itself.")
        return None
    if by == "traveller_contact":
        if not attempt.note.strip():
            return _("Say who confirmed the arrival and how.")
        return None
    return _("Say who confirmed the arrival: the origin mission or the traveller's contact.")


@guard("a closure reason and a final summary")
def closure_reason_given(case: Case, attempt: Attempt) -> str | None:
    # The reasons are monitoring's (Closure.Reason); its case_close passes one with the summary.
    if not attempt.details.get("reason") or not attempt.note.strip():
        return _("Close the case from its monitoring page, with a reason and a final summary.")
    return None


# ---------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    label: str
    # (permission, side): the user needs the permission in the host or the origin mission.
    actors: tuple[tuple[Perm, str], ...]
    guards: tuple[Guard, ...] = ()
    note_required: bool = False


def step(sources: Any, target: str, label: str, actors: Any, guards: Any = (), *, note: bool = False) -> Step:
    sources = frozenset({sources} if isinstance(sources, str) else sources)
    return Step(sources, target, label, tuple(actors), tuple(guards), note)


CASEWORK = ((Perm.CHANGE_CASE, HOST),)
COUNSEL = ((Perm.COUNSEL, HOST),)
TRAVEL = ((Perm.ARRANGE_TRAVEL, HOST),)
RECEIVE = ((Perm.RECEIVE_RETURNEE, ORIGIN),)
HOST_SUPERVISOR = ((Perm.SUPERVISE, HOST),)
SUPERVISE = ((Perm.SUPERVISE, HOST), (Perm.SUPERVISE, ORIGIN))
HOST_STAFF = ((Perm.CHANGE_CASE, HOST), (Perm.ARRANGE_TRAVEL, HOST))

STEPS: tuple[Step, ...] = (
    step(S.INQUIRY, S.REGISTERED, gettext_lazy("Register"), CASEWORK, [has_principal]),
    step(S.REGISTERED, S.ELIGIBILITY_ASSESSED, gettext_lazy("Confirm eligibility"), CASEWORK, [assessed_eligible]),
    step({S.REGISTERED, S.ELIGIBILITY_ASSESSED}, S.IN_COUNSELLING, gettext_lazy("Start counselling"), COUNSEL),
    step(S.IN_COUNSELLING, S.RETURN_DECLARED, gettext_lazy("Record the decision to return"), COUNSEL,
         [assessed_eligible, informed_decision, voluntary_in_detention]),
    step(S.RETURN_DECLARED, S.TRAVEL_PREPARATION, gettext_lazy("Start travel preparation"), COUNSEL,
         [declaration_signed, processing_consent_standing]),
    step(S.TRAVEL_PREPARATION, S.TRAVEL_BOOKED, gettext_lazy("Confirm the booking"), TRAVEL,
         [travel_documents_valid, booking_confirmed, safeguarding_complete, no_traveller_unfit, authority_approval,
          processing_consent_standing]),
    step(S.TRAVEL_BOOKED, S.TRAVEL_PREPARATION, gettext_lazy("Change the booking"), TRAVEL, note=True),
    step(S.TRAVEL_BOOKED, S.DEPARTED, gettext_lazy("Confirm departure"), TRAVEL,
         [travel_documents_valid, booking_confirmed, safeguarding_complete, no_traveller_unfit,
          pre_departure_check_passed]),
    step(S.TRAVEL_BOOKED, S.NO_SHOW, gettext_lazy("Did not depart"), TRAVEL, note=True),
    step(S.NO_SHOW, S.TRAVEL_PREPARATION, gettext_lazy("Rebook"), TRAVEL, note=True),
    step(S.DEPARTED, S.ARRIVED, gettext_lazy("Confirm arrival"), RECEIVE + TRAVEL, [arrival_confirmed]),
    step(S.ARRIVED, S.REINTEGRATION_PLANNING, gettext_lazy("Start reintegration planning"), RECEIVE,
         [processing_consent_standing]),
    step(S.REINTEGRATION_PLANNING, S.ASSISTANCE_IN_PROGRESS, gettext_lazy("Start assistance"), RECEIVE,
         [processing_consent_standing]),
    step(S.ASSISTANCE_IN_PROGRESS, S.MONITORING, gettext_lazy("Start monitoring"), RECEIVE),
    step(AFTER_ARRIVAL, S.CLOSED, gettext_lazy("Close"), RECEIVE + SUPERVISE, [closure_reason_given], note=True),
    # The ways out. Withdrawing is always possible before departure.
    step(BEFORE_DEPARTURE, S.WITHDRAWN, gettext_lazy("Withdraw (the migrant changed their mind)"), HOST_STAFF,
         note=True),
    step({S.REGISTERED, S.ELIGIBILITY_ASSESSED, S.IN_COUNSELLING}, S.NOT_ELIGIBLE, gettext_lazy("Close as not eligible"),
         CASEWORK, [assessed_not_eligible], note=True),
    # Before departure the case is the host mission's; the origin mission takes over on arrival.
    step(BEFORE_DEPARTURE, S.LOST_CONTACT, gettext_lazy("Lost contact"), HOST_STAFF, note=True),
    step(AFTER_ARRIVAL, S.LOST_CONTACT, gettext_lazy("Lost contact"), RECEIVE + SUPERVISE, note=True),
    step(BEFORE_DEPARTURE, S.CANCELLED, gettext_lazy("Cancel"), HOST_SUPERVISOR, note=True),
)  # fmt: skip

REOPEN = step(EXITS, "", gettext_lazy("Reopen"), HOST_SUPERVISOR, note=True)


# The way home in order: moving down it finishes work, moving back up it abandons work.
MAIN_PATH = (S.INQUIRY, S.REGISTERED, S.ELIGIBILITY_ASSESSED, S.IN_COUNSELLING, S.RETURN_DECLARED,
             S.TRAVEL_PREPARATION, S.TRAVEL_BOOKED, S.DEPARTED, S.ARRIVED, S.REINTEGRATION_PLANNING,
             S.ASSISTANCE_IN_PROGRESS, S.MONITORING, S.CLOSED)  # fmt: skip


def is_forward(from_status: str, to_status: str) -> bool:
    if from_status not in MAIN_PATH or to_status not in MAIN_PATH or to_status == S.CLOSED:
        return False
    return MAIN_PATH.index(to_status) > MAIN_PATH.index(from_status)


def is_exit(status: str) -> bool:
    return status in EXITS or status == S.NO_SHOW


def reopen_target(case: Case) -> str | None:
    """A case reopens where it was before it left the workflow, but a booking is never revived:
    the itinerary was cancelled on the way out, so a booked case reopens in travel preparation."""
    if case.status not in EXITS:
        return None
    last = case.transitions.filter(to_status=case.status).order_by("-at", "-pk").first()
    target = last.from_status if last else S.REGISTERED
    return S.TRAVEL_PREPARATION if target in {S.TRAVEL_BOOKED, S.NO_SHOW} else target


def steps_from(case: Case) -> list[Step]:
    """The moves open from the case's current status (before guards and permissions).

    Reopening checks what entering its target normally needs, and is the host's
    supervisor's before departure, either mission's after arrival.
    """
    found = [s for s in STEPS if case.status in s.sources]
    target = reopen_target(case)
    if target:
        guards = tuple(dict.fromkeys(g for s in STEPS if s.target == target for g in s.guards))
        actors = SUPERVISE if target in AFTER_ARRIVAL else HOST_SUPERVISOR
        found.append(Step(REOPEN.sources, target, REOPEN.label, actors, guards, True))
    return found


def may_take(user: Any, case: Case, s: Step) -> bool:
    missions = {HOST: case.host_mission_id, ORIGIN: case.referred_to_mission_id}
    return any(permissions.has_perm_in(user, perm, missions[side]) for perm, side in s.actors)


def refusals(case: Case, s: Step, attempt: Attempt) -> list[str]:
    """Every reason the step is refused now: the whole list, so the user fixes all at once."""
    reasons = [reason for g in s.guards if (reason := g(case, attempt))]
    if s.note_required and not attempt.note.strip():
        reasons.append(_("Give a reason."))
    return reasons


@dataclass
class Option:
    step: Step
    blocked_by: list[str]


def options_for(user: Any, case: Case) -> list[Option]:
    """The moves this user may make now, each with what still blocks it (notes aside)."""
    found = []
    for s in steps_from(case):
        if may_take(user, case, s):
            blocked = [r for g in s.guards if g is not arrival_confirmed and (r := g(case, Attempt(user)))]
            found.append(Option(s, blocked))
    return found


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskRule:
    """Entering ``on`` opens a task due ``due(case)``; it closes itself when the case leaves ``open_in``."""

    on: str
    kind: str
    due: Callable[[Case], dt.datetime]
    role: str
    side: str = HOST
    # Give it to the case's counsellor rather than to everyone with the role.
    to_counsellor: bool = False
    open_in: frozenset[str] | None = None  # None: closed by hand or by the service that does the work
    per_traveller: Callable[[Case], list[Any]] | None = None
    # Open it only when the case needs it.
    when: Callable[[Case], bool] | None = None


def _due(label: str, when: Callable[[Case], dt.datetime]) -> Callable[[Case], dt.datetime]:
    when.label = label  # type: ignore[attr-defined]
    return when


def _in(days: int) -> Callable[[Case], dt.datetime]:
    return _due(f"{days} days", lambda case: timezone.now() + dt.timedelta(days=days))


def _before_departure(hours: int) -> Callable[[Case], dt.datetime]:
    return _due(f"{hours} h before departure", lambda case: first_departure(case) - dt.timedelta(hours=hours))


def _after_landing(hours: int) -> Callable[[Case], dt.datetime]:
    return _due(f"{hours} h after landing", lambda case: final_arrival(case) + dt.timedelta(hours=hours))


def needs_safeguarding(case: Case) -> bool:
    from homeward.safeguarding.selectors import missing_items

    return bool(missing_items(case))


def needs_assistance_arranged(case: Case) -> bool:
    """Some leg of the booked journey (departure, transits, arrival) has no confirmed help yet."""
    from homeward.travel.rules import unarranged

    itinerary = confirmed_itinerary(case)
    if itinerary is None:
        return True
    return bool(unarranged(list(itinerary.segments.all()), itinerary.assistance.all()))


def first_departure(case: Case) -> dt.datetime:
    itinerary = confirmed_itinerary(case)
    first = itinerary.segments.first() if itinerary else None
    return first.departs_at if first else timezone.now()


def final_arrival(case: Case) -> dt.datetime:
    itinerary = case.itineraries.exclude(status__in=["cancelled", "not_departed"]).last()
    last = itinerary.segments.last() if itinerary else None
    return last.arrives_at if last else timezone.now()


TASK_RULES: tuple[TaskRule, ...] = (
    TaskRule(S.IN_COUNSELLING, TaskKind.COUNSEL, _in(days=7), Role.COUNSELLOR, to_counsellor=True,
             open_in=frozenset({S.IN_COUNSELLING})),
    TaskRule(S.RETURN_DECLARED, TaskKind.SIGN_DECLARATION, _in(days=7), Role.COUNSELLOR, to_counsellor=True,
             open_in=frozenset({S.RETURN_DECLARED})),
    TaskRule(S.TRAVEL_PREPARATION, TaskKind.REQUEST_TRAVEL_DOCUMENT, _in(days=3), Role.MOVEMENT_OFFICER,
             open_in=frozenset({S.TRAVEL_PREPARATION}), per_traveller=travellers_without_document),
    TaskRule(S.TRAVEL_PREPARATION, TaskKind.BOOK_TRAVEL, _in(days=21), Role.MOVEMENT_OFFICER,
             open_in=frozenset({S.TRAVEL_PREPARATION})),
    TaskRule(S.TRAVEL_PREPARATION, TaskKind.SAFEGUARDING, _in(days=14), Role.COUNSELLOR, to_counsellor=True,
             open_in=frozenset({S.TRAVEL_PREPARATION, S.TRAVEL_BOOKED}), when=needs_safeguarding),
    TaskRule(S.TRAVEL_BOOKED, TaskKind.ARRANGE_ASSISTANCE, _before_departure(72),
             Role.MOVEMENT_OFFICER, open_in=frozenset({S.TRAVEL_BOOKED}), when=needs_assistance_arranged),
    TaskRule(S.TRAVEL_BOOKED, TaskKind.PRE_DEPARTURE_CHECK, _before_departure(24),
             Role.MOVEMENT_OFFICER, open_in=frozenset({S.TRAVEL_BOOKED})),
    TaskRule(S.DEPARTED, TaskKind.CONFIRM_ARRIVAL, _after_landing(24),
             Role.REINTEGRATION_OFFICER, side=ORIGIN, open_in=frozenset({S.DEPARTED})),
    TaskRule(S.NO_SHOW, TaskKind.RECONCILE_NO_SHOW, _in(days=3), Role.MOVEMENT_OFFICER),
    TaskRule(S.ARRIVED, TaskKind.REINTEGRATION_PLAN, _in(days=30), Role.REINTEGRATION_OFFICER, side=ORIGIN,
             open_in=frozenset({S.ARRIVED, S.REINTEGRATION_PLANNING})),
)  # fmt: skip
