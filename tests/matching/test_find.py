"""Finding a person again through the index: the keys written on save, the look-up and the score."""

from __future__ import annotations

from homeward.cases.models import Relationship
from homeward.cases.services import MemberInput
from homeward.matching import profile, selectors
from homeward.matching.models import MatchKey, MatchRecord
from tests.factories import person, register_case


def _alone(given: str, family: str, **kwargs: object) -> list[MemberInput]:
    return [MemberInput(Relationship.PRINCIPAL, person(given, family, **kwargs))]


def test_a_registered_person_is_indexed_and_found_in_another_spelling(counsellor_gr, gr):
    case = register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990, nationality="IQ", sex="M"))
    earlier = case.members.get().person
    assert MatchRecord.objects.filter(person=earlier).exists()
    assert MatchKey.objects.filter(person=earlier, birth_year=1990).exists()

    typed = profile.of_values(given="Mohamad", family="Alhasan", birth_date=earlier.birth_date,
                              birth_precision="year", nationality="IQ", sex="M")  # fmt: skip
    found = selectors.find(typed)
    assert [m.person_id for m in found] == [earlier.pk]
    assert found[0].probability >= selectors.threshold()
    words = {str(c.words) for c in found[0].contributions}
    assert "names match after transliteration" in words or "same names after transliteration" in words


def test_hussein_is_not_hassan(counsellor_gr, gr):
    register_case(counsellor_gr, gr, _alone("Hassan", "Karimi", year=1990, nationality="AF", sex="M"))
    typed = profile.of_values(given="Hussein", family="Karimi", nationality="AF", sex="M")
    assert selectors.find(typed) == []


def test_the_migration_files_every_person_recorded_before_matching(counsellor_gr, gr):
    import importlib

    from django.apps import apps

    case = register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990, nationality="IQ", sex="M"))
    before = sorted(MatchKey.objects.values_list("person_id", "key", "birth_year"))
    MatchKey.objects.all().delete()
    MatchRecord.objects.all().delete()
    importlib.import_module("homeward.matching.migrations.0002_index_existing_people").index(apps, None)
    assert sorted(MatchKey.objects.values_list("person_id", "key", "birth_year")) == before
    assert MatchRecord.objects.get().person_id == case.members.get().person_id
