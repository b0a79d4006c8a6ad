"""Reads for the review of likely duplicates: two persons side by side, a batch run's pairs, a
merge and what it moved, and the likely matches of a case's members. Every one is scoped: a
person is seen only through a case the reader may see (or the visible record it was merged into).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from homeward.accounts import permissions
from homeward.matching import profile, selectors
from homeward.matching.batch import KIND
from homeward.matching.compare import reasons
from homeward.matching.model import Contribution
from homeward.matching.models import DuplicatePair, MatchRecord, NotSamePerson, PersonMerge
from homeward.matching.scoring import score
from homeward.matching.services import field_of, may_decide
from homeward.people.models import Person


def visible_person_ids(user: Any) -> QuerySet:
    """The persons in a case ``user`` may see (a subquery)."""
    from homeward.cases.models import CaseMember

    return CaseMember.objects.filter(permissions.case_scope(user, prefix="case__")).values("person_id")


def _visible(user: Any, person: Person) -> bool:
    ids = [pk for pk in (person.pk, person.merged_into_id) if pk is not None]
    return Person.objects.filter(pk__in=ids).filter(pk__in=visible_person_ids(user)).exists()


def person_for(user: Any, pk: int) -> Person:
    """A person the user may see, or 404 (another mission's person is as if it did not exist)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None or not _visible(user, person):
        raise Http404
    return person


# --- Two persons side by side -------------------------------------------------


@dataclass
class Pair:
    left: Person
    right: Person
    probability: float
    contributions: list[Contribution]
    left_view: selectors.MatchView
    right_view: selectors.MatchView
    decision: NotSamePerson | None
    merge: PersonMerge | None
    may_decide: bool

    @property
    def decided(self) -> bool:
        return (
            self.decision is not None
            or self.merge is not None
            or bool(self.left.merged_into_id or self.right.merged_into_id)
        )


def pair_for(user: Any, a: int, b: int) -> Pair:
    if a == b:
        raise Http404
    left, right = person_for(user, a), person_for(user, b)
    documents = {p.pk: list(p.documents.all()) for p in (left, right)}
    scored = score(
        profile.of_person(left, [d.number for d in documents[left.pk]]),
        profile.of_person(right, [d.number for d in documents[right.pk]]),
        selectors.parameters(),
    )
    left_match = selectors.Match(left.pk, scored.probability, scored.vector, scored.contributions)
    right_match = selectors.Match(right.pk, scored.probability, scored.vector, scored.contributions)
    left_view, right_view = selectors.for_user(user, [left_match, right_match], keep_caseless=True)
    left.document_list, right.document_list = documents[left.pk], documents[right.pk]  # type: ignore[attr-defined]
    low, high = sorted((a, b))
    merge = (
        PersonMerge.objects.filter(undone_at__isnull=True)
        .filter(Q(survivor=left, merged=right) | Q(survivor=right, merged=left))
        .first()
    )
    return Pair(
        left=left, right=right, probability=scored.probability, contributions=list(scored.contributions),
        left_view=left_view, right_view=right_view,
        decision=NotSamePerson.objects.filter(first_id=low, second_id=high).select_related("decided_by").first(),
        merge=merge, may_decide=may_decide(user, left, right),
    )  # fmt: skip


# --- A batch run's pairs ------------------------------------------------------


def latest_run(user: Any) -> Any:
    """The user's latest duplicate run (a ``jobs.Job``), or None."""
    from homeward.jobs.models import Job

    return Job.objects.filter(owner=user, kind=KIND).first()


@dataclass
class PairRow:
    pair: DuplicatePair
    reasons: list[tuple[str, object]] = field(default_factory=list)


def pairs_of(user: Any, job: Any, *, limit: int = 200) -> tuple[list[PairRow], int]:
    """The run's pairs still to decide that the user may see, most probable first, and how many in all."""
    if job is None:
        return [], 0
    visible = visible_person_ids(user)
    decided = NotSamePerson.objects.filter(first_id=OuterRef("first_id"), second_id=OuterRef("second_id"))
    found = (
        DuplicatePair.objects.filter(job=job, first_id__in=visible, second_id__in=visible)
        .filter(first__merged_into__isnull=True, second__merged_into__isnull=True)
        .exclude(Exists(decided))
        .select_related("first", "second")
        .order_by("-probability", "pk")
    )
    total = found.count()
    return [PairRow(p, reasons(tuple(p.levels))) for p in found[:limit]], total


# --- A merge ------------------------------------------------------------------


@dataclass
class Moved:
    label: str
    count: int
    items: list[tuple[str, str]]  # (text, case reference to link or "")


def merge_for(user: Any, pk: int) -> PersonMerge:
    merge = PersonMerge.objects.select_related("survivor", "merged", "merged_by", "undone_by").filter(pk=pk).first()
    # Shown to who may see both records: after an undo, the record put back in another mission's
    # case is that mission's again, with its documents and details.
    if merge is None or not (_visible(user, merge.survivor) and _visible(user, merge.merged)):
        raise Http404
    return merge


def moved_of(user: Any, merge: PersonMerge) -> list[Moved]:
    """What the merge moved, as the reader may see it: the cases (linked when visible), the documents,
    and only how many of the rest (vulnerabilities may be more sensitive than the reader may see)."""
    from homeward.cases.models import CaseMember
    from homeward.people.models import IdentityDocument

    out = []
    for key, pks in sorted(merge.moved.items()):
        try:
            fk = field_of(key)
        except LookupError:
            continue
        model = fk.model
        items: list[tuple[str, str]] = []
        if model is CaseMember:
            for member in CaseMember.objects.filter(pk__in=pks).select_related("case__host_mission"):
                case = member.case
                if permissions.can_view_case(user, case):
                    items.append((case.reference, case.reference))
                else:
                    items.append((str(case.host_mission), ""))
        elif model is IdentityDocument:
            items = [(d.label, "") for d in IdentityDocument.objects.filter(pk__in=pks)]
        out.append(Moved(str(model._meta.verbose_name_plural), len(pks), items))
    return out


def filled_of(merge: PersonMerge) -> list[tuple[str, object]]:
    """The survivor's fields the merge filled, with the value taken from the merged record."""
    out = []
    for name in merge.filled:
        if name == "birth_date_precision":
            continue
        label = Person._meta.get_field(name).verbose_name
        value = merge.merged.date_of_birth if name == "birth_date" else getattr(merge.merged, name)
        out.append((str(label), value))
    return out


# --- The case page's panel ---------------------------------------------------


def matches_of_case(user: Any, case: Any) -> list[tuple[Any, list[selectors.MatchView]]]:
    """For each member of ``case``, the other records that are probably the same person, as
    ``user`` may see them; members with none are left out."""
    members = list(case.members.select_related("person"))
    in_case = {m.person_id for m in members}
    # As ``selectors.find_for_person`` for each member, with the records and decisions read once.
    records = MatchRecord.objects.in_bulk(list(in_case))
    apart: dict[int, set[int]] = {pid: set() for pid in in_case}
    decided = NotSamePerson.objects.filter(Q(first_id__in=in_case) | Q(second_id__in=in_case))
    for a, b in decided.values_list("first_id", "second_id"):
        for one, other in ((a, b), (b, a)):
            if one in apart:
                apart[one].add(other)
    found: dict[int, list[selectors.Match]] = {}
    for member in members:
        record = records.get(member.person_id)
        if record is None:
            continue
        matches = selectors.find(selectors.record_profile(record), exclude=in_case | apart[member.person_id])
        if matches:
            found[member.pk] = matches
    if not found:
        return []
    # One look-up of cases and contacts for all members' matches together.
    everyone = {m.person_id: m for matches in found.values() for m in matches}
    views = {v.match.person_id: v for v in selectors.for_user(user, list(everyone.values()))}
    # ``for_user`` leaves out persons in no case any more: nothing to show of them.
    shown = [
        (member, [_rescored(views[m.person_id], m) for m in found[member.pk] if m.person_id in views])
        for member in members
        if member.pk in found
    ]
    return [(member, member_views) for member, member_views in shown if member_views]


def _rescored(view: selectors.MatchView, match: selectors.Match) -> selectors.MatchView:
    if view.match is match:
        return view
    return selectors.MatchView(match, view.person, view.cases, view.contacts)
