"""The grants' money programme and approved grant, and the JSON API client, for the hardening tests."""

from tests.api.conftest import api_as  # noqa: F401
from tests.grants.conftest import approved, case, programme  # noqa: F401
