"""Counselling fixtures: uploads go to a temporary private storage; a case in counselling."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from homeward.programmes.models import Programme
from tests import journey
from tests.api.conftest import ApiClient, make_token
from tests.counselling.uploads import private_storage_in


@pytest.fixture(autouse=True)
def private_files(settings: object, tmp_path: Path) -> Path:
    return private_storage_in(settings, tmp_path)


@pytest.fixture
def prog(gr: Mission, pk: Mission) -> Programme:
    return journey.programme()


@pytest.fixture
def case(counsellor_gr: User, case_gr: Case, prog: Programme) -> Case:
    """The Khan family in counselling: assessed eligible under the test programme."""
    Case.objects.filter(pk=case_gr.pk).update(status=CaseStatus.REGISTERED, legal_status="protection_rejected")
    case_gr.refresh_from_db()
    journey.assess(case_gr, counsellor_gr, prog)
    journey.move(case_gr, counsellor_gr, CaseStatus.IN_COUNSELLING)
    case_gr.refresh_from_db()
    return case_gr


@pytest.fixture
def today() -> object:
    return timezone.localdate()


@pytest.fixture
def api_as(db: None):  # type: ignore[no-untyped-def]
    def build(user: User) -> ApiClient:
        return ApiClient(make_token(user))

    return build
