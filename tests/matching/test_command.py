"""``homeward matching index`` and ``homeward matching train``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from homeward.matching import selectors
from homeward.matching.management.commands import matching as command
from homeward.matching.models import MatchKey, TrainedModel
from tests.factories import family_of_three, register_case


def test_index_files_everyone_again(counsellor_gr, gr):
    register_case(counsellor_gr, gr, family_of_three())
    before = sorted(MatchKey.objects.values_list("person_id", "key"))
    MatchKey.objects.all().delete()
    call_command("matching", "index")
    assert sorted(MatchKey.objects.values_list("person_id", "key")) == before


def test_train_refuses_too_few_people_and_keeps_the_shipped_model(counsellor_gr, gr):
    register_case(counsellor_gr, gr, family_of_three())
    with pytest.raises(CommandError, match="at least"):
        call_command("matching", "train")
    assert not TrainedModel.objects.exists()


def test_train_stores_a_model_that_the_look_up_then_uses(counsellor_gr, gr, monkeypatch):
    # Training needs a hundred persons at least: 34 families of three.
    for i in range(34):
        register_case(counsellor_gr, gr, family_of_three(f"Family{chr(97 + i % 26)}{chr(97 + i // 26)}"))
    monkeypatch.setattr(command, "MIN_PEOPLE", 100)
    call_command("matching", "train")
    stored = TrainedModel.objects.get()
    selectors.forget_parameters()
    try:
        assert selectors.parameters().to_json()["prior"] == stored.parameters["prior"]
    finally:
        selectors.forget_parameters()  # the next tests use the shipped model again
