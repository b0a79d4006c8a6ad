"""What a case's safeguarding checklist asks for, and what is still missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from homeward.accounts import permissions
from homeward.safeguarding.checklists import CHECKLISTS, ITEMS
from homeward.safeguarding.models import ChecklistItem


@dataclass(frozen=True)
class Required:
    member: Any
    vulnerability: str
    sensitivity: str
    item: str
    done: ChecklistItem | None

    @property
    def label(self) -> str:
        return str(ITEMS[self.item])


def checklist(case: Any) -> list[Required]:
    """Every item the case's vulnerabilities call for, per member, with the record when done.

    Vulnerabilities recorded on a person and those derived from the date of
    birth (elderly) both count.
    """
    from homeward.people.models import VulnerabilityType

    sensitivity = dict(VulnerabilityType.objects.values_list("code", "sensitivity"))
    done = {
        (i.member_id, i.vulnerability, i.item): i
        for i in ChecklistItem.objects.filter(case=case).select_related("done_by")
    }
    today = timezone.localdate()
    required = []
    for member in case.members.select_related("person").prefetch_related("person__vulnerabilities__type"):
        codes = {v.type.code for v in member.person.vulnerabilities.all()}
        codes |= set(member.person.derived_vulnerability_codes(today))
        for code in sorted(codes & CHECKLISTS.keys()):
            required += [
                Required(member, code, sensitivity.get(code, "protection"), item, done.get((member.pk, code, item)))
                for item in CHECKLISTS[code]
            ]
    return required


def missing_items(case: Any) -> list[Required]:
    return [r for r in checklist(case) if r.done is None]


@dataclass(frozen=True)
class UserChecklist:
    """A case's checklist as one user may see it: the items they may see, and a count of the rest.

    A movement officer learns that the case is blocked (``hidden_missing``)
    without learning why: the items of vulnerabilities of a sensitivity the
    user may not see are neither listed nor named.
    """

    visible: list[Required]
    hidden_missing: int
    hidden_total: int

    @property
    def missing(self) -> list[Required]:
        return [r for r in self.visible if r.done is None]

    @property
    def total(self) -> int:
        return len(self.visible) + self.hidden_total

    @property
    def complete(self) -> bool:
        return not self.missing and not self.hidden_missing

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    def shown(self) -> list[tuple[ChecklistItem, str]]:
        """The recorded items the user sees, with their sensitivity (for ``core.reads``)."""
        return [(r.done, r.sensitivity) for r in self.visible if r.done is not None]


def checklist_for_user(user: Any, case: Any) -> UserChecklist:
    """The checklist of a case the user may see (fetched with ``case_for_user``), split by sensitivity."""
    levels = permissions.visible_sensitivities(user, case)
    required = checklist(case)
    visible = [r for r in required if r.sensitivity in levels]
    hidden = [r for r in required if r.sensitivity not in levels]
    return UserChecklist(
        visible=visible, hidden_missing=sum(1 for r in hidden if r.done is None), hidden_total=len(hidden)
    )


def sensitivity_of(vulnerability: str) -> str:
    """The sensitivity of a vulnerability code; an unknown code counts as the most sensitive."""
    from homeward.people.models import VulnerabilityType

    found = VulnerabilityType.objects.filter(code=vulnerability).values_list("sensitivity", flat=True).first()
    return found or "protection"


def visible_item(user: Any, case: Any, item_id: int) -> ChecklistItem:
    """A recorded item of ``case`` whose vulnerability the user may see, or 404 (never 403: that would tell)."""
    try:
        item = ChecklistItem.objects.select_related("member__person", "done_by").get(case=case, pk=item_id)
    except ChecklistItem.DoesNotExist:
        raise Http404 from None
    if sensitivity_of(item.vulnerability) not in permissions.visible_sensitivities(user, case):
        raise Http404
    return item
