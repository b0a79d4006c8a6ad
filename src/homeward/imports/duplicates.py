"""Probable duplicates among imported people: against everyone recorded, and within the file.

The same matching as the registration form (``homeward.matching``): names across
transliterations, the date of birth with its precision, nationality, phone, documents. A match in
a case the importer may not open is named by its mission and whom to ask, never by its details.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.core.templatetags.homeward import percent
from homeward.matching import keys, profile, selectors
from homeward.matching.scoring import score
from homeward.people.inputs import DocumentInput, PersonInput


@dataclass(frozen=True)
class Imported:
    row: int
    case: int  # the index of its case in the plan: members of one case are not each other's duplicates
    profile: profile.Profile


def imported(row: int, case: int, person: PersonInput, documents: list[DocumentInput]) -> Imported:
    born = person.birth_date
    return Imported(row, case, profile.of_values(
        given=person.given_names, family=person.family_name, given_original=person.given_names_original,
        family_original=person.family_name_original, sex=person.sex, birth_date=born.value if born else None,
        birth_precision=born.precision if born else "", nationality=person.nationality,
        place_of_birth=person.place_of_birth, phone=person.phone, documents=[d.number for d in documents],
    ))  # fmt: skip


def _why(match: selectors.Match) -> str:
    words = [str(c.words) for c in match.contributions if c.weight > 0]
    return f"{percent(match.probability)}: " + ", ".join(words)


def already_recorded(user: User, person: Imported) -> str:
    """Why this person is probably recorded already, or "" when not."""
    views = selectors.for_user(user, selectors.find(person.profile, limit=3))
    if not views:
        return ""
    best = views[0]
    visible = [c.reference for c in best.cases if c.visible]
    if visible:
        return _("Probably already recorded, in case %(reference)s (%(why)s).") % {
            "reference": ", ".join(visible),
            "why": _why(best.match),
        }
    contacts = [u.get_full_name() or u.username for people in best.contacts.values() for u in people]
    return _("Probably already recorded, in a case of %(missions)s you may not open: ask %(contacts)s.") % {
        "missions": ", ".join(m.code for m in best.hidden_missions),
        "contacts": ", ".join(contacts) or _("that mission"),
    }


def within_file(people: list[Imported]) -> dict[int, int]:
    """For each row probably the same person as an earlier row of another case: that earlier row."""
    by_key: dict[str, list[Imported]] = defaultdict(list)
    found: dict[int, int] = {}
    model = selectors.parameters()
    floor = selectors.threshold()
    for person in people:
        seen: set[int] = set()
        for key in keys.name_keys(person.profile) | keys.identity_keys(person.profile):
            for other in by_key[key]:
                if other.case == person.case or other.row in seen or person.row in found:
                    continue
                seen.add(other.row)
                if score(person.profile, other.profile, model).probability >= floor:
                    found[person.row] = other.row
            by_key[key].append(person)
    return found
