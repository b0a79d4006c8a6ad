"""schemathesis over the whole API as a supervisor with data in their mission: no server errors, and
every answer is one the schema declares, shaped as it says (tests/hardening/fuzz.py).

Bounded for the suite (HOMEWARD_FUZZ_EXAMPLES, default 2 generated requests an operation, plus the
schema's examples); ``make fuzz`` runs many more and prints the summary.
"""

from __future__ import annotations

import os

import pytest

from homeward.accounts.models import User
from homeward.grants.models import Grant
from tests.api.conftest import make_token
from tests.hardening import fuzz

pytestmark = pytest.mark.django_db


def test_the_api_keeps_its_schema_under_generated_requests(supervisor_gr: User, approved: Grant) -> None:
    examples = int(os.environ.get("HOMEWARD_FUZZ_EXAMPLES", "2"))
    only = os.environ.get("HOMEWARD_FUZZ_ONLY")
    summary = fuzz.run(make_token(supervisor_gr), examples=examples, only=only)
    print("\n".join(["", "schemathesis:", *summary.lines()]))  # noqa: T201 - the summary `make fuzz` shows
    assert summary.operations > (0 if only else 150)
    assert summary.failures == {}
