"""Demo: people who come back. A few who returned home with assistance register again, in
another mission or the same one, under another spelling and with only the year of birth, so the
duplicate check, the case panel and the previous-assistance rule have something to show."""

from __future__ import annotations

import random
import re

from homeward.accounts.models import Mission, User
from homeward.cases import eligibility, services
from homeward.cases.models import Case, CaseStatus, ReferralSource, Relationship
from homeward.core.dates import PartialDate
from homeward.people.inputs import PersonInput
from homeward.programmes.models import Programme

# How counsellors respell a name they hear (the first that applies).
RESPELLINGS = [(r"^Mohammad", "Muhammad"), (r"^Muhammad", "Mohammed"), (r"^Ahmad", "Ahmed"), (r"ss", "s"),
               (r"ou", "u"), (r"ee", "i"), (r"i$", "y"), (r"a", "e")]  # fmt: skip
RETURNING = 4


def respell(name: str) -> str:
    for pattern, replacement in RESPELLINGS:
        changed = re.sub(pattern, replacement, name, count=1)
        if changed != name:
            return changed
    return name


def returning(missions: dict[str, Mission], users: dict[str, User], rng: random.Random) -> list[Case]:
    hosts = [code for code, m in missions.items() if m.registers_cases]
    departed = list(
        Case.objects.filter(transitions__to_status=CaseStatus.DEPARTED).select_related("host_mission").distinct()
    )
    made = []
    for earlier in rng.sample(departed, min(RETURNING, len(departed))):
        principal = earlier.members.select_related("person").get(relationship=Relationship.PRINCIPAL).person
        host = earlier.host_mission.code if rng.random() < 0.5 else rng.choice(hosts)
        counsellor = users[f"counsellor.{host.lower()}"]
        born = principal.date_of_birth
        again = PersonInput(
            given_names=respell(principal.given_names), family_name=respell(principal.family_name),
            sex=principal.sex, nationality=principal.nationality.code,
            birth_date=PartialDate.build(year=born.value.year) if born else None,
        )  # fmt: skip
        case = services.case_register(
            acting_user=counsellor,
            host_mission=missions[host],
            status=CaseStatus.REGISTERED,
            data=services.CaseInput(
                destination_country=earlier.destination_country.code,
                referral_source=ReferralSource.SELF,
                counsellor=counsellor,
                legal_status=earlier.legal_status,
            ),
            members=[services.MemberInput(Relationship.PRINCIPAL, again)],
        )
        programme = Programme.objects.filter(missions=missions[host]).first()
        if programme is not None:
            eligibility.case_assess(acting_user=counsellor, case=case, programme=programme)
        made.append(case)
    return made
