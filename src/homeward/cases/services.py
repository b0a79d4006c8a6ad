"""Every write to a case: registration, members, their details and documents.

Each service checks the acting user's permission, validates, writes in one
transaction and is audited (``homeward.core.audit.service``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.cases import eligibility, journey, workflow
from homeward.cases.models import (
    Case,
    CaseMember,
    CaseSequence,
    CaseStatus,
    Exclusion,
    ReferralSource,
    Relationship,
    Transition,
)
from homeward.core.audit import about_case, service
from homeward.core.concurrency import claim_version
from homeward.core.errors import ServiceError
from homeward.core.text import search_key
from homeward.core.validation import full_clean
from homeward.matching import indexing
from homeward.people import services as people
from homeward.people.inputs import DocumentInput, PersonInput
from homeward.people.models import IdentityDocument, Person
from homeward.programmes.models import Programme


@dataclass
class CaseInput:
    destination_country: str
    referral_source: str
    destination_place: str = ""
    inquiry_date: dt.date | None = None
    counsellor: User | None = None
    notes: str = ""
    legal_status: str = ""
    exclusions: list[str] = field(default_factory=list)
    place: str = ""
    authority_approval_on: dt.date | None = None
    authority_approval_reference: str = ""
    confidential_return: bool = False

    def values(self, inquiry_date: dt.date) -> dict[str, object]:
        """The case's editable fields, normalised."""
        return {
            "destination_country": self.destination_country.upper(),
            "destination_place": self.destination_place.strip(),
            "referral_source": self.referral_source,
            "inquiry_date": self.inquiry_date or inquiry_date,
            "counsellor": self.counsellor,
            "notes": self.notes.strip(),
            "legal_status": self.legal_status,
            "exclusions": sorted(set(self.exclusions)),
            "place": self.place.strip().lower(),
            "authority_approval_on": self.authority_approval_on,
            "authority_approval_reference": self.authority_approval_reference.strip(),
            "confidential_return": self.confidential_return,
        }


@dataclass
class MemberInput:
    relationship: str
    person: PersonInput
    documents: list[DocumentInput] = field(default_factory=list)
    precarious: bool = False


# The case fields programme rules look at: a change re-runs the assessment.
RULE_FACTS = {"destination_country", "legal_status", "exclusions", "place", "authority_approval_on"}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change this case."))


def _next_reference(mission: Mission, year: int) -> str:
    sequence, _created = CaseSequence.objects.get_or_create(mission=mission, year=year)
    # An UPDATE … SET n = n + 1 takes the row lock, so two registrations never share a number.
    CaseSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return f"{mission.code}-{year}-{sequence.last_number:06d}"


def _check_case_fields(case: Case, data: CaseInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.referral_source not in ReferralSource.values:
        errors["referral_source"] = [_("Choose a referral source from the list.")]
    if data.inquiry_date and data.inquiry_date > timezone.localdate():
        errors["inquiry_date"] = [_("The date of first contact is in the future.")]
    if data.authority_approval_on and data.authority_approval_on > timezone.localdate():
        errors["authority_approval_on"] = [_("The approval date is in the future.")]
    unknown = sorted(set(data.exclusions) - set(Exclusion.values))
    if unknown:
        errors["exclusions"] = [_("Unknown exclusion: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if data.counsellor is not None and not permissions.has_perm_in(
        data.counsellor, Perm.CHANGE_CASE, case.host_mission_id
    ):
        errors["counsellor"] = [_("Choose a caseworker of this mission.")]
    try:
        full_clean(case, exclude=["reference", "host_mission", "counsellor", "referred_to_mission"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ServiceError(_("The case could not be saved: check the fields marked."), errors)


def _member_key(person: PersonInput) -> tuple[str, dt.date | None]:
    return search_key(person.given_names, person.family_name), person.birth_date.value if person.birth_date else None


def _check_registration(case: Case, host_mission: Mission, registered_on: dt.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if registered_on is not None:
        if case.status != CaseStatus.REGISTERED:
            errors["registered_on"] = [_("Only a registered case has a registration date.")]
        elif registered_on > timezone.localdate():
            errors["registered_on"] = [_("The registration date is in the future.")]
        elif case.inquiry_date and registered_on < case.inquiry_date:
            errors["registered_on"] = [_("The registration date is before the first contact.")]
    if case.programme is not None and not case.programme.missions.filter(pk=host_mission.pk).exists():
        errors["programme"] = [_("%(mission)s does not implement this programme.") % {"mission": host_mission.code}]
    if errors:
        raise ServiceError(_("The case could not be saved: check the fields marked."), errors)


def check_household(members: list[MemberInput], *, focus: int | None = None) -> None:
    """The rules of a household: one principal, no one twice, no child older than its parent.

    Errors are keyed ``members.<i>.<field>``; with ``focus`` (one member being
    added or edited) that member's errors are keyed by field alone and the
    others' go to ``__all__``.
    """
    principals = [i for i, m in enumerate(members) if m.relationship == Relationship.PRINCIPAL]
    if not principals:
        raise ServiceError(
            _("A case needs a principal applicant."), {"members": [_("Mark one member as the principal applicant.")]}
        )
    if len(principals) > 1:
        raise ServiceError(
            _("A case has one principal applicant."),
            {"members": [_("Only one member can be the principal applicant.")]},
        )
    problems: list[tuple[int, str, str]] = []
    seen: dict[tuple[str, dt.date | None], int] = {}
    for i, member in enumerate(members):
        key = _member_key(member.person)
        if key in seen:
            problems.append((i, "given_names", _("This member repeats member %(number)s.") % {"number": seen[key] + 1}))
        seen.setdefault(key, i)
    principal = members[principals[0]].person.birth_date
    for i, member in enumerate(members):
        dob = member.person.birth_date
        if principal is None or dob is None:
            continue
        if member.relationship == Relationship.CHILD and dob.latest <= principal.earliest:
            problems.append((i, "birth_date", _("A child cannot be older than the principal applicant, its parent.")))
        if member.relationship == Relationship.PARENT and principal.latest <= dob.earliest:
            problems.append((i, "birth_date", _("A parent cannot be younger than the principal applicant, its child.")))
    if problems:
        errors: dict[str, list[str]] = {}
        for i, name, message in problems:
            key = f"members.{i}.{name}" if focus is None else (name if i == focus else "__all__")
            errors.setdefault(key, []).append(message)
        raise ServiceError(_("The family's details do not fit together: check the members marked."), errors)


def _clean_person(person: PersonInput, *, region: str, prefix: str = "") -> PersonInput:
    try:
        return person.cleaned(phone_region=region)
    except ValidationError as exc:
        raise ServiceError.from_validation_error(_("Some details need correcting."), exc, prefix) from exc


def _clean_members(members: list[MemberInput], *, region: str) -> list[MemberInput]:
    cleaned, errors = [], {}
    for i, member in enumerate(members):
        if member.relationship not in Relationship.values:
            errors[f"members.{i}.relationship"] = [_("Choose a relationship from the list.")]
        try:
            person = _clean_person(member.person, region=region, prefix=f"members.{i}.")
            cleaned.append(MemberInput(member.relationship, person, member.documents, member.precarious))
        except ServiceError as exc:
            errors.update(exc.fields)
    if errors:
        raise ServiceError(_("Some members' details need correcting."), errors)
    return cleaned


def _create_member(case: Case, member: MemberInput, *, prefix: str = "") -> CaseMember:
    """Save a checked member's person, vulnerabilities and documents; errors keyed under ``prefix``."""
    try:
        person = people.person_create(data=member.person)
        for d, document in enumerate(member.documents):
            try:
                people.document_add(person=person, data=document)
            except ValidationError as exc:
                raise ValidationError({f"documents.{d}.{k}": v for k, v in exc.message_dict.items()}) from exc
    except ValidationError as exc:
        raise ServiceError.from_validation_error(_("Some details need correcting."), exc, prefix) from exc
    case_member = CaseMember(case=case, person=person, relationship=member.relationship, precarious=member.precarious)
    case_member.save()
    return case_member


@service
def case_register(
    *,
    acting_user: User,
    host_mission: Mission,
    data: CaseInput,
    members: list[MemberInput],
    status: str = CaseStatus.INQUIRY,
    registered_on: dt.date | None = None,
    programme: Programme | None = None,
) -> Case:
    """Register a case with its members. Rule: only a caseworker of a host mission registers,
    a case has exactly one principal applicant, and nothing is saved unless everything is valid.

    ``registered_on`` (a registration recorded earlier, e.g. in an imported tracker) defaults to
    today; ``programme`` must be one the host mission implements."""
    if not permissions.has_perm_in(acting_user, Perm.REGISTER_CASE, host_mission.pk):
        raise PermissionDenied(_("You may not register cases for %(mission)s.") % {"mission": host_mission.code})
    if not host_mission.registers_cases:
        raise ServiceError(_("%(mission)s is not a host mission.") % {"mission": host_mission.code})
    if status not in {CaseStatus.INQUIRY, CaseStatus.REGISTERED}:
        raise ServiceError(
            _("A new case is an inquiry or registered."), {"status": [_("Choose inquiry or registered.")]}
        )
    today = timezone.localdate()
    case = Case(
        host_mission=host_mission,
        status=status,
        registered_on=(registered_on or today) if status == CaseStatus.REGISTERED else None,
        programme=programme,
        **data.values(today),
    )
    _check_registration(case, host_mission, registered_on)
    _check_case_fields(case, data)
    members = _clean_members(members, region=host_mission.country.code)
    check_household(members)
    case.reference = _next_reference(host_mission, today.year)
    case.save()
    with about_case(case.pk):
        for i, member in enumerate(members):
            _create_member(case, member, prefix=f"members.{i}.")
    return case


@service
def case_update(
    *,
    acting_user: User,
    case: Case,
    data: CaseInput,
    expected_version: int | None = None,
    only: set[str] | None = None,
) -> Case:
    """Change a case's details. Rule: the host mission's caseworkers edit; reassigning the
    counsellor to someone else takes a supervisor; an edit based on an older version is refused.

    ``only`` names the fields a partial update (API PATCH) sets, so fields it did not
    send keep what another user may have saved meanwhile.
    """
    _require(permissions.can_change_case(acting_user, case))
    claim_version(case, expected_version)
    # Taking an unassigned case is anyone's; moving an assigned one is a supervisor's.
    taking_unassigned = case.counsellor is None and data.counsellor == acting_user
    sets_counsellor = only is None or "counsellor" in only
    reassigned = sets_counsellor and data.counsellor != case.counsellor and not taking_unassigned
    if reassigned and not permissions.has_perm_in(acting_user, Perm.ASSIGN_CASE, case.host_mission_id):
        raise ServiceError(
            _("Only a case supervisor can assign or reassign a case."),
            {"counsellor": [_("Only a case supervisor can assign or reassign a case.")]},
        )
    values = {k: v for k, v in data.values(case.inquiry_date).items() if only is None or k in only}
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name, value in values.items():
        setattr(case, name, value)
    _check_case_fields(case, data)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
    if set(changed) & RULE_FACTS:
        eligibility.reassess_if_assessed(case, acting_user)
    return case


@service
def case_transition(
    *,
    acting_user: User,
    case: Case,
    to: str,
    note: str = "",
    details: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> Transition:
    """Move a case along its workflow (``cases/workflow.py`` declares every move and its guards).

    Rule: the move must start from the case's status as it is now in the database,
    the user must hold one of the step's roles, and every guard must pass; a refusal
    names every guard that failed. The move, its note and the tasks it opens or
    closes are written together.
    """
    if not permissions.can_view_case(acting_user, case):
        raise PermissionDenied(_("You may not change this case."))
    claim_version(case, expected_version)  # locks the row and reloads the status
    steps = [s for s in workflow.steps_from(case) if s.target == to]
    if not steps:
        raise ServiceError(
            _("A case that is %(status)s cannot become %(to)s.")
            % {"status": case.get_status_display(), "to": dict(CaseStatus.choices).get(to, to)},
            {"to": [_("Choose one of the moves offered.")]},
        )
    step = steps[0]
    if not workflow.may_take(acting_user, case, step):
        raise PermissionDenied(_("Your role does not allow this step: %(step)s.") % {"step": step.label})
    attempt = workflow.Attempt(acting_user, note.strip(), {k: str(v) for k, v in (details or {}).items()})
    reasons = workflow.refusals(case, step, attempt)
    if reasons:
        raise ServiceError(
            _("%(step)s is not possible yet: %(reasons)s") % {"step": step.label, "reasons": " ".join(reasons)},
            {"to": reasons},
        )
    from_status = case.status
    case.status = to
    fields = ["status", "updated_at"]
    if to == CaseStatus.REGISTERED and case.registered_on is None:
        case.registered_on = timezone.localdate()
        fields.append("registered_on")
    with about_case(case.pk):
        case.save(update_fields=fields)
        transition = Transition.objects.create(
            case=case, from_status=from_status, to_status=to, note=attempt.note, details=attempt.details, by=acting_user
        )
    journey.after_transition(case=case, transition=transition, acting_user=acting_user)
    return transition


def _existing_members(case: Case) -> list[MemberInput]:
    return [MemberInput(m.relationship, _person_input(m.person)) for m in case.members.select_related("person")]


def _person_input(person: Person) -> PersonInput:
    return PersonInput(
        given_names=person.given_names,
        family_name=person.family_name,
        birth_date=person.date_of_birth,
    )


@service
def member_add(*, acting_user: User, case: Case, member: MemberInput) -> CaseMember:
    """Add a member to a case. Rule: the family rules hold for the whole household after the change."""
    _require(permissions.can_change_case(acting_user, case))
    if member.relationship not in Relationship.values:
        raise ServiceError(
            _("Some details need correcting."), {"relationship": [_("Choose a relationship from the list.")]}
        )
    person = _clean_person(member.person, region=case.host_mission.country.code)
    cleaned = MemberInput(member.relationship, person, member.documents, member.precarious)
    household = _existing_members(case)
    check_household([*household, cleaned], focus=len(household))
    with about_case(case.pk):
        member = _create_member(case, cleaned)
    eligibility.reassess_if_assessed(case, acting_user)
    return member


@service
def member_remove(*, acting_user: User, member: CaseMember) -> None:
    """Take a member out of a case. Rules: the principal applicant stays; the person's record is kept;
    a member with a stay in a facility, a place on the waiting list, health records or costs, or a
    course enrolment stays too (those are part of the case's record and a committed cost is in the ledger).
    """
    # Imported here: those apps build on cases, not the other way round.
    from homeward.accommodation.models import Placement, WaitingEntry
    from homeward.activities.models import Enrolment
    from homeward.health.models import FitToTravelExam, HealthCost, MedicalAppointment, MedicalReferral, Medicine

    _require(permissions.can_change_case(acting_user, member.case))
    if member.is_principal:
        raise ServiceError(_("The principal applicant cannot be removed from the case."))
    health_records = (MedicalAppointment, MedicalReferral, Medicine, FitToTravelExam)
    kept = [
        text
        for text, found in (
            (_("a stay in a facility"), Placement.objects.filter(member=member).exists()),
            (_("a place on the waiting list for a bed"), WaitingEntry.objects.filter(members=member).exists()),
            (_("health records"), any(m.objects.filter(member=member).exists() for m in health_records)),
            (_("health costs"), HealthCost.objects.filter(member=member).exists()),
            (_("a course enrolment"), Enrolment.objects.filter(member=member).exists()),
        )
        if found
    ]
    if kept:
        raise ServiceError(
            _("%(name)s has %(records)s: these must stay with the case, so %(name)s cannot be removed from it.")
            % {"name": member.person, "records": get_text_list(kept, _("and"))}
        )
    member.delete()
    eligibility.reassess_if_assessed(member.case, acting_user)


@service
def member_update(
    *, acting_user: User, member: CaseMember, relationship: str, data: PersonInput, precarious: bool | None = None
) -> CaseMember:
    """Change a member's details and relationship. Rule: the family rules still hold afterwards."""
    case = member.case
    _require(permissions.can_change_case(acting_user, case))
    if (relationship == Relationship.PRINCIPAL) != member.is_principal or relationship not in Relationship.values:
        raise ServiceError(
            _("The principal applicant cannot be changed here."),
            {"relationship": [_("The principal applicant cannot be changed here.")]},
        )
    cleaned = _clean_person(data, region=case.host_mission.country.code)
    others = list(case.members.select_related("person"))
    household = [
        MemberInput(relationship, cleaned)
        if m.pk == member.pk
        else MemberInput(m.relationship, _person_input(m.person))
        for m in others
    ]
    check_household(household, focus=[m.pk for m in others].index(member.pk))
    try:
        with about_case(case.pk):
            people.person_update(person=member.person, data=cleaned)
    except ValidationError as exc:
        raise ServiceError.from_validation_error(_("Some details need correcting."), exc) from exc
    changed = []
    if member.relationship != relationship:
        member.relationship = relationship
        changed.append("relationship")
    if precarious is not None and member.precarious != precarious:
        member.precarious = precarious
        changed.append("precarious")
    if changed:
        with about_case(case.pk):
            member.save(update_fields=changed)
    eligibility.reassess_if_assessed(case, acting_user)
    return member


@service
def document_add(*, acting_user: User, member: CaseMember, data: DocumentInput) -> IdentityDocument:
    """Record an identity or travel document of a member."""
    _require(permissions.can_change_case(acting_user, member.case))
    try:
        with about_case(member.case_id):
            return people.document_add(person=member.person, data=data)
    except ValidationError as exc:
        raise ServiceError.from_validation_error(
            _("The document could not be saved: check the fields marked."), exc
        ) from exc


@service
def document_remove(*, acting_user: User, member: CaseMember, document: IdentityDocument) -> None:
    _require(permissions.can_change_case(acting_user, member.case))
    if document.person_id != member.person_id:
        raise PermissionDenied(_("This document belongs to someone else."))
    with about_case(member.case_id):
        document.delete()
    indexing.index_person(member.person)
