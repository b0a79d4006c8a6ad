"""A supervisor's decisions on two person records: merge them, undo a merge, or say they are two people.

Rule: only a case supervisor (``Perm.ASSIGN_CASE``) of every host mission of the cases of both
persons decides, since a decision changes what each of those missions sees. Nothing is lost by
a merge: the merged record stays (``Person.merged_into``) with its audit trail, every row that
pointed at it is moved to the survivor one by one through ``save`` (so each move is audited),
and ``PersonMerge.moved`` / ``filled`` let ``merge_undo`` put back exactly what moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.matching import indexing
from homeward.matching.models import DuplicatePair, MatchKey, MatchRecord, NotSamePerson, PersonMerge
from homeward.people.models import Person, Sex

REASON_MIN = 10
REASON_MAX = PersonMerge._meta.get_field("reason").max_length
NOTE_MAX = NotSamePerson._meta.get_field("note").max_length
# Models pointing at a person that a merge does not move: matching's own rows (re-indexed, or
# decisions about the pair themselves) and the merged record's link to its survivor.
NOT_MOVED = (MatchKey, MatchRecord, NotSamePerson, PersonMerge, DuplicatePair, Person)
# The survivor's fields a merge may fill from the merged record when blank; a tuple is filled together.
FILLABLE: tuple[tuple[str, ...], ...] = (
    ("family_name",),
    ("given_names_original",),
    ("family_name_original",),
    ("sex",),
    ("birth_date", "birth_date_precision"),
    ("place_of_birth",),
    ("nationality",),
    ("country_of_origin",),
    ("languages",),
    ("phone",),
    ("previous_assistance_on",),
)
_DATES = {"birth_date", "previous_assistance_on"}


# --- Who decides ---------------------------------------------------------------


def host_missions_of(persons: Iterable[Person]) -> list[Mission]:
    """The host missions of every case of these persons."""
    from homeward.cases.models import Case

    ids = [p.pk for p in persons]
    return list(
        Mission.objects.filter(pk__in=Case.objects.filter(members__person_id__in=ids).values("host_mission_id"))
    )


def may_decide(user: Any, *persons: Person) -> bool:
    """Whether ``user`` supervises every host mission of the cases of ``persons``."""
    missions = host_missions_of(persons)
    if not missions:
        return permissions.has_perm_anywhere(user, Perm.ASSIGN_CASE)
    return all(permissions.has_perm_in(user, Perm.ASSIGN_CASE, m.pk) for m in missions)


def _check_may_decide(user: Any, *persons: Person) -> None:
    missions = host_missions_of(persons)
    if not missions and not permissions.has_perm_anywhere(user, Perm.ASSIGN_CASE):
        raise PermissionDenied(_("Only a case supervisor decides whether two records are one person."))
    missing = sorted((m for m in missions if not permissions.has_perm_in(user, Perm.ASSIGN_CASE, m.pk)), key=str)
    if missing:
        raise PermissionDenied(
            _(
                "Only a case supervisor of every mission holding these persons' cases decides: you are not one in %(missions)s."
            )
            % {"missions": ", ".join(m.name for m in missing)}
        )


def _locked(*persons: Person) -> list[Person]:
    """The persons read again under a row lock, so two supervisors cannot decide on them at once."""
    fresh = Person.objects.select_for_update().in_bulk([p.pk for p in persons])
    return [fresh[p.pk] for p in persons]


# --- Rows pointing at a person ------------------------------------------------


def person_relations() -> list[models.ForeignKey]:
    """Every foreign key to ``Person`` a merge moves, found from the models (so a new one is not forgotten)."""
    found = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if issubclass(rel.related_model, NOT_MOVED):
            continue
        found.append(rel.field)
    return sorted(found, key=key_of)


def key_of(field: models.Field) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


def field_of(key: str) -> models.Field:
    label, name = key.rsplit(".", 1)
    return apps.get_model(label)._meta.get_field(name)


def _clashes(row: models.Model, field: models.Field, target: Person) -> bool:
    """Whether pointing ``row`` at ``target`` would break a unique constraint (the same document twice)."""
    model = type(row)
    groups: list[tuple[tuple[str, ...], Q | None]] = []
    if field.unique:
        groups.append(((field.name,), None))
    groups += [(tuple(u), None) for u in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            groups.append((tuple(constraint.fields), constraint.condition))
    for names, condition in groups:
        if field.name not in names:
            continue
        if condition is not None and not model.objects.filter(condition, pk=row.pk).exists():
            continue
        lookup = {name: getattr(row, model._meta.get_field(name).attname) for name in names if name != field.name}
        others = model.objects.filter(**lookup, **{field.name: target}).exclude(pk=row.pk)
        if condition is not None:
            others = others.filter(condition)
        if others.exists():
            return True
    return False


def _move(row: models.Model, field: models.Field, target: Person) -> None:
    setattr(row, field.name, target)
    # A membership's move shows in the history of its case.
    with about_case(getattr(row, "case_id", None)):
        row.save(update_fields=[field.name])


# --- Fields filled from the merged record ------------------------------------


def _raw(person: Person, name: str) -> Any:
    value = getattr(person, name)
    if hasattr(value, "code"):  # a country
        value = value.code or ""
    if isinstance(value, dt.date):
        value = value.isoformat()
    return value


def _blank(person: Person, name: str) -> bool:
    value = _raw(person, name)
    return value in (None, "", []) or (name == "sex" and value == Sex.UNKNOWN)


def _set_raw(person: Person, name: str, value: Any) -> None:
    if name in _DATES and value:
        value = dt.date.fromisoformat(value)
    setattr(person, name, value)


# --- Merge ----------------------------------------------------------------------


@service
def person_merge(*, acting_user: Any, survivor: Person, merged: Person, reason: str) -> PersonMerge:
    """Make ``merged`` part of ``survivor``: its cases, documents and vulnerabilities move, the
    survivor's blank fields are filled from it, and the merged record stays, hidden, with its history.

    Refused: a person into itself, a record already merged, two members of one case (a case
    lists each person once), a pair said to be two people, and without a reason.
    """
    from homeward.cases.models import CaseMember

    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        message = _("Say why these records are one person (at least %(n)s characters).") % {"n": REASON_MIN}
        raise ServiceError(message, {"reason": [message]})
    if len(reason) > REASON_MAX:
        message = _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}
        raise ServiceError(message, {"reason": [message]})
    if survivor.pk == merged.pk:
        raise ServiceError(_("A person cannot be merged into itself."))
    survivor, merged = _locked(survivor, merged)
    _check_may_decide(acting_user, survivor, merged)
    for p in (survivor, merged):
        if p.merged_into_id is not None:
            raise ServiceError(
                _("%(name)s was already merged into another record; undo that merge first.") % {"name": p.full_name}
            )
    shared = CaseMember.objects.filter(person=survivor, case__members__person=merged).select_related("case").first()
    if shared is not None:
        raise ServiceError(
            _("Both records are members of case %(case)s: two members of one case are two people.")
            % {"case": shared.case.reference}
        )
    low, high = sorted((survivor.pk, merged.pk))
    if NotSamePerson.objects.filter(first_id=low, second_id=high).exists():
        raise ServiceError(_("A supervisor decided these are two people; undo that decision first."))

    moved: dict[str, list[int]] = {}
    for field in person_relations():
        rows = field.model._base_manager.filter(**{field.name: merged}).order_by("pk")
        for row in rows:
            if _clashes(row, field, survivor):
                continue  # the same thing is on both: this one stays on the merged record
            _move(row, field, survivor)
            moved.setdefault(key_of(field), []).append(row.pk)

    filled: dict[str, Any] = {}
    for group in FILLABLE:
        if all(_blank(survivor, n) for n in group) and not _blank(merged, group[0]):
            for name in group:
                filled[name] = _raw(survivor, name)
                _set_raw(survivor, name, _raw(merged, name))
    if filled:
        survivor.save(update_fields=list(filled))

    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    merge = PersonMerge(
        survivor=survivor, merged=merged, reason=reason, moved=moved, filled=filled, merged_by=acting_user
    )
    merge.save()
    indexing.index_person(survivor)
    indexing.index_person(merged)  # a merged record is taken out of the index
    _reassess(acting_user, survivor)
    return merge


@service
def merge_undo(*, acting_user: Any, merge: PersonMerge) -> None:
    """Part the two records again: exactly the rows the merge moved go back, and the fields it
    filled are emptied where the survivor still holds what was filled.

    Refused when already undone, or when a later merge of either record is still in force
    (undo that one first: rows may have moved on).
    """
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ServiceError(_("This merge was already undone."))
    survivor, merged = _locked(merge.survivor, merge.merged)
    _check_may_decide(acting_user, survivor, merged)
    later = (
        PersonMerge.objects.filter(undone_at__isnull=True, pk__gt=merge.pk)
        .filter(Q(survivor__in=[survivor, merged]) | Q(merged__in=[survivor, merged]))
        .first()
    )
    if later is not None:
        raise ServiceError(
            _("A later merge of these records is still in force (%(merge)s, %(date)s); undo it first.")
            % {"merge": f"#{later.pk}", "date": timezone.localtime(later.merged_at).date().isoformat()}
        )

    for key, pks in merge.moved.items():
        field = field_of(key)
        for row in field.model._base_manager.filter(pk__in=pks, **{field.name: survivor}).order_by("pk"):
            if _clashes(row, field, merged):
                raise ServiceError(
                    _("%(thing)s is now recorded on both records; remove one before undoing.") % {"thing": str(row)}
                )
            _move(row, field, merged)

    restored = []
    for group in FILLABLE:
        if group[0] in merge.filled and all(_raw(survivor, n) == _raw(merged, n) for n in group):
            for name in group:
                _set_raw(survivor, name, merge.filled[name])
                restored.append(name)
    if restored:
        survivor.save(update_fields=restored)

    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_by = acting_user
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    indexing.index_person(survivor)
    indexing.index_person(merged)
    _reassess(acting_user, survivor, merged)


def _reassess(acting_user: Any, *persons: Person) -> None:
    """A decision changes what the previous-assistance rule sees: assess those cases again."""
    from homeward.cases.eligibility import reassess_if_assessed
    from homeward.cases.models import Case

    for case in Case.objects.filter(members__person__in=persons).distinct().select_related("programme"):
        reassess_if_assessed(case, acting_user)


# --- Not the same person --------------------------------------------------------


@service
def not_same_person(*, acting_user: Any, first: Person, second: Person, note: str = "") -> NotSamePerson:
    """Remember that two records are two people, so the pair is never proposed again."""
    if first.pk == second.pk:
        raise ServiceError(_("A record is always the same person as itself."))
    first, second = sorted(_locked(first, second), key=lambda p: p.pk)
    if first.merged_into_id is not None or second.merged_into_id is not None:
        raise ServiceError(_("One of these records was merged into another; undo that merge first."))
    _check_may_decide(acting_user, first, second)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        message = _("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}
        raise ServiceError(message, {"note": [message]})
    if NotSamePerson.objects.filter(first=first, second=second).exists():
        raise ServiceError(_("It was already decided that these are two people."))
    decision = NotSamePerson(first=first, second=second, note=note, decided_by=acting_user)
    decision.save()
    _reassess(acting_user, first, second)
    return decision


@service
def not_same_undo(*, acting_user: Any, decision: NotSamePerson) -> None:
    """Forget a "not the same person" decision: the pair may be proposed again."""
    _check_may_decide(acting_user, decision.first, decision.second)
    decision.delete()
    _reassess(acting_user, decision.first, decision.second)
