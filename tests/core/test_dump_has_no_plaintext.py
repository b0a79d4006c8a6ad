"""The acceptance test of encryption at rest: a real dump of the database shows none of the sensitive values.

On PostgreSQL the real pg_dump of the test database; on SQLite the database file's bytes (with its WAL) and
its SQL dump. The values are written through the services, and the pages still show them.
"""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import services as assistance
from homeward.cases import services as cases
from homeward.cases.models import Case
from homeward.health import services as health
from homeward.people.inputs import DocumentInput
from homeward.people.models import PersonVulnerability, VulnerabilityType
from homeward.safeguarding import services as safeguarding
from tests.assistance.conftest import bank, details
from tests.factories import MissionFactory, UserFactory
from tests.safeguarding.conftest import give, member

# Committed, as a dump sees it (tests/conftest.py's _shipped_rows restores the taxonomy after an earlier flush).
pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENT = "QX7719035"
VULNERABILITY_NOTE = "Sheltered after fleeing Karachi trafficker"
EXAM_NOTES = "Zolpidemquartz allergy"
REFERRAL_REASON = "Haemodialysis-Tuesdays-Marigold"
EVIDENCE = "Affidavit kept in cabinet Umber-9"
IBAN = "PK36SCBL0000001123456702"
SECRETS = [DOCUMENT, VULNERABILITY_NOTE, EXAM_NOTES, REFERRAL_REASON, EVIDENCE, IBAN, "Lahore Umberbank"]


def dump() -> bytes:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        (pg_dump,) = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1:]
        env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
        command = [pg_dump, "--no-owner", "-h", settings_dict.get("HOST") or "localhost",
                   "-p", str(settings_dict.get("PORT") or 5432), "-U", settings_dict["USER"], settings_dict["NAME"]]  # fmt: skip
        return subprocess.run(command, env=env, capture_output=True, check=True).stdout  # noqa: S603
    path = Path(settings_dict["NAME"])
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    return raw + "\n".join(connection.connection.iterdump()).encode()


def test_a_dump_of_the_database_shows_none_of_the_encrypted_values(
    counsellor_gr: User, case_gr: Case, pk: Mission
) -> None:
    principal = case_gr.members.select_related("person").order_by("pk").first()
    cases.document_add(acting_user=counsellor_gr, member=principal,
                       data=DocumentInput(kind="passport", number=DOCUMENT, issuing_country="PK"))  # fmt: skip
    # No service writes a vulnerability's note yet: it is set as the model allows.
    PersonVulnerability.objects.create(
        person=principal.person, type=VulnerabilityType.objects.get(code="trafficking"), note=VULNERABILITY_NOTE
    )
    imran = member(case_gr, "Imran")
    give(imran, "health_needs")
    health.exam_record(acting_user=counsellor_gr, case=case_gr, member=imran, examined_on=timezone.localdate(),
                       examiner="Dr Papadopoulou", result="unfit", notes=EXAM_NOTES)  # fmt: skip
    health.referral_record(acting_user=counsellor_gr, case=case_gr, member=imran, referred_to="Evangelismos",
                           reason=REFERRAL_REASON, referred_on=timezone.localdate())  # fmt: skip
    safeguarding.item_record(acting_user=counsellor_gr, case=case_gr, member=imran, vulnerability="health_needs",
                             item="fit_to_travel", done_on=timezone.localdate(), evidence=EVIDENCE)  # fmt: skip
    reintegration = UserFactory(username="reintegration.pk", roles=[(pk, Role.REINTEGRATION_OFFICER)])
    finance = UserFactory(username="finance.pk", roles=[(pk, Role.FINANCE_OFFICER)])
    provider = assistance.provider_create(acting_user=reintegration, mission=pk, data=details())
    assistance.provider_update(acting_user=finance, provider=provider,
                               bank=bank(account_number=IBAN, bank_name="Lahore Umberbank"))  # fmt: skip

    dumped = dump()
    assert b"Imran" in dumped  # the dump is real: names are not encrypted
    for secret in SECRETS:
        assert secret.encode() not in dumped, secret
    assert b"6702" in dumped  # the audit log's last four of the IBAN (decision 0013), and nothing more

    # The pages still show them to those who may see them.
    client = Client()
    client.force_login(counsellor_gr)
    page = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert DOCUMENT in page
    assert (
        EXAM_NOTES in page
        or EXAM_NOTES in client.get(reverse("health:exam", args=[case_gr.reference])).content.decode()
    )
    checklist = client.get(reverse("safeguarding:checklist", args=[case_gr.reference])).content.decode()
    assert EVIDENCE in checklist
    client.force_login(finance)
    provider_page = client.get(reverse("assistance:provider_detail", args=[provider.pk])).content.decode()
    assert "Lahore Umberbank" in provider_page
    assert "6702" in provider_page


def test_the_dump_search_would_catch_plaintext(db: None) -> None:
    """The dump above must be able to fail: a value written in clear is found."""
    mission = MissionFactory(code="ZZ", name="Mission Plaintext-Canary-31", country="GR")
    assert mission.name.encode() in dump()
