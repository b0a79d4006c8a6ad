"""What a case's safeguarding checklist asks for, and what is still missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

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
    done = {(i.member_id, i.vulnerability, i.item): i for i in ChecklistItem.objects.filter(case=case)}
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
