"""Encrypted fields: tokens in the columns, plaintext in the model, blind indexes, the audit log, rotation, keys."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

from homeward.accounts.models import User
from homeward.cases import services as cases
from homeward.cases.models import Case
from homeward.core import crypto, fields
from homeward.core.errors import ServiceError
from homeward.people.inputs import DocumentInput
from homeward.people.models import IdentityDocument, PersonVulnerability, VulnerabilityType
from tests.counselling.uploads import private_storage_in

pytestmark = pytest.mark.django_db
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(model: type, pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        table, pk_column = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(pk_column)} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def principal(case: Case):  # type: ignore[no-untyped-def]
    return case.members.select_related("person").order_by("pk").first()


def add_passport(user: User, case: Case, number: str) -> IdentityDocument:
    return cases.document_add(
        acting_user=user,
        member=principal(case),
        data=DocumentInput(kind="passport", number=number, issuing_country="PK"),
    )


def test_the_column_holds_a_token_the_model_the_plaintext(counsellor_gr: User, case_gr: Case) -> None:
    document = add_passport(counsellor_gr, case_gr, "ZX 991-2277")
    stored = raw(IdentityDocument, document.pk, "number")
    assert stored.startswith(crypto.TOKEN_PREFIX)
    # The whole number, with and without its separators (a short piece would turn up in random base64).
    assert "ZX 991-2277" not in stored
    assert "9912277" not in stored
    assert IdentityDocument.objects.get(pk=document.pk).number == "ZX 991-2277"
    # A random IV: the same number twice is two different tokens.
    assert crypto.encrypt("ZX 991-2277") != crypto.encrypt("ZX 991-2277")


def test_an_encrypted_column_cannot_be_searched_by_mistake(db: None) -> None:
    with pytest.raises(FieldError, match="encrypted"):
        list(IdentityDocument.objects.filter(number="X"))
    with pytest.raises(FieldError, match="encrypted"):
        list(IdentityDocument.objects.filter(number__icontains="X"))
    assert list(PersonVulnerability.objects.filter(note__isnull=True)) == []


def test_the_same_document_typed_differently_is_refused_through_its_blind_index(
    counsellor_gr: User, case_gr: Case
) -> None:
    document = add_passport(counsellor_gr, case_gr, "AB 123-456")
    before = IdentityDocument.objects.count()
    assert document.number_digest == crypto.document_digest("ab123456")
    assert len(document.number_digest) == 64
    with pytest.raises(ServiceError) as refused:
        add_passport(counsellor_gr, case_gr, "ab123456")
    assert refused.value.fields == {"number": ["This document is already recorded for this person."]}
    assert IdentityDocument.objects.count() == before


def test_matching_keys_and_records_hold_digests_not_numbers(counsellor_gr: User, case_gr: Case) -> None:
    from homeward.matching.models import MatchKey, MatchRecord

    document = add_passport(counsellor_gr, case_gr, "PK7781234")
    person_id = document.person_id
    keys = list(MatchKey.objects.filter(person_id=person_id).values_list("key", flat=True))
    assert not [k for k in keys if "7781234" in k]
    assert f"d:{document.number_digest}"[:48] in keys
    record = MatchRecord.objects.get(person_id=person_id)
    assert document.number_digest in record.documents
    assert not [d for d in record.documents if "7781234" in d]


def test_the_audit_log_keeps_that_an_encrypted_field_changed_never_its_value(
    counsellor_gr: User, case_gr: Case
) -> None:
    document = add_passport(counsellor_gr, case_gr, "SECRET4242")
    entry = LogEntry.objects.get_for_object(document).get()
    assert entry.changes_dict["number"] == ["None", fields.REDACTED]
    assert "SECRET4242" not in str(entry.changes) + entry.object_repr + (entry.changes_text or "")


def test_bank_details_keep_only_the_last_four_of_an_iban(db: None) -> None:
    from homeward.core.audit import masked

    assert masked("PK36SCBL0000001123456702") == "••••6702"
    assert masked("PK36 SCBL 0000 0011 2345 6702") == "••••6702"
    for not_an_iban in ("Standard Chartered Pakistan", "Lahore Tools & Co", "SCBLPKKX", "0011234567"):
        assert masked(not_an_iban) == "••••"


def test_the_migration_encrypts_legacy_rows_and_redacts_their_audit_entries(counsellor_gr: User, case_gr: Case) -> None:
    person = principal(case_gr).person
    vulnerability = PersonVulnerability.objects.create(person=person, type=VulnerabilityType.objects.first(), note="x")
    table = PersonVulnerability._meta.db_table
    with connection.cursor() as cursor:  # as an installation before encryption had it
        cursor.execute(f"UPDATE {table} SET note = %s WHERE id = %s", ["fled an abusive husband", vulnerability.pk])  # noqa: S608
    entry = LogEntry.objects.create(
        content_type_id=LogEntry.objects.get_for_object(vulnerability).get().content_type_id,
        object_pk=str(vulnerability.pk), object_id=vulnerability.pk, object_repr="x", action=LogEntry.Action.UPDATE,
        changes={"note": ["", "fled an abusive husband"]}, changes_text="note: fled an abusive husband",
    )  # fmt: skip
    count = fields.transform_column(connection, table, "id", "note", fields._encrypt_legacy)
    assert count >= 1
    assert raw(PersonVulnerability, vulnerability.pk, "note").startswith(crypto.TOKEN_PREFIX)
    assert PersonVulnerability.objects.get(pk=vulnerability.pk).note == "fled an abusive husband"
    # Run again (a migration re-applied): nothing changes.
    assert fields.transform_column(connection, table, "id", "note", fields._encrypt_legacy) == 0
    fields.redact_audit_log(apps, "people", "PersonVulnerability", ["note"])
    entry.refresh_from_db()
    assert entry.changes["note"] == ["", fields.REDACTED]
    assert "abusive" not in entry.changes_text
    # Backwards: plaintext again.
    fields.transform_column(connection, table, "id", "note", fields._decrypt)
    assert raw(PersonVulnerability, vulnerability.pk, "note") == "fled an abusive husband"


def test_rotation_from_key_a_to_b_then_dropping_a_leaves_everything_readable(
    settings: object, tmp_path: Path, counsellor_gr: User, case_gr: Case
) -> None:
    demo = list(settings.HOMEWARD_ENCRYPTION_KEYS)  # type: ignore[attr-defined]
    settings.HOMEWARD_ENCRYPTION_KEYS = [KEY_A, *demo]  # type: ignore[attr-defined]
    private_storage_in(settings, tmp_path)
    document = add_passport(counsellor_gr, case_gr, "ROT-4455")
    storage = storages["private"]
    name = storage.save("cases/1/scan.pdf", ContentFile(b"%PDF-1.4 the scan"))

    settings.HOMEWARD_ENCRYPTION_KEYS = [KEY_B, KEY_A, *demo]  # type: ignore[attr-defined]
    out = StringIO()
    call_command("encryption", "rotate", "--batch", "2", stdout=out)
    documents = IdentityDocument.objects.count()
    assert f"people.IdentityDocument.number: {documents} re-encrypted" in out.getvalue()
    assert "Files: 1 of 1 re-encrypted." in out.getvalue()
    out = StringIO()
    call_command("encryption", "rotate", stdout=out)  # idempotent: nothing left under A
    assert "Fields: 0 values re-encrypted." in out.getvalue()
    assert "Files: 0 of 1 re-encrypted." in out.getvalue()

    settings.HOMEWARD_ENCRYPTION_KEYS = [KEY_B]  # type: ignore[attr-defined]
    assert IdentityDocument.objects.get(pk=document.pk).number == "ROT-4455"
    assert storage.open(name).read() == b"%PDF-1.4 the scan"
    # And A alone no longer opens them: they really moved.
    settings.HOMEWARD_ENCRYPTION_KEYS = [KEY_A]  # type: ignore[attr-defined]
    with pytest.raises(crypto.InvalidToken):
        IdentityDocument.objects.get(pk=document.pk)


def test_newkey_prints_keys_that_work(db: None) -> None:
    out = StringIO()
    call_command("encryption", "newkey", stdout=out)
    assert crypto.parse_keys(out.getvalue().strip()) == [out.getvalue().strip()]
    out = StringIO()
    call_command("encryption", "newkey", "--index", stdout=out)
    assert crypto.check_index_key(out.getvalue().strip())


def test_a_malformed_key_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="HOMEWARD_ENCRYPTION_KEYS: key 2 is not a Fernet key"):
        crypto.parse_keys(f"{KEY_A},not-a-key")
    with pytest.raises(ImproperlyConfigured, match="HOMEWARD_INDEX_KEY"):
        crypto.check_index_key("short")


def _production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "DJANGO_", "DEBUG", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import homeward.settings"],
        env={**clean, "SECRET_KEY": "x" * 50, **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_production_refuses_to_start_without_encryption_keys() -> None:
    result = _production({})
    assert result.returncode != 0
    assert "HOMEWARD_ENCRYPTION_KEYS and HOMEWARD_INDEX_KEY not set" in result.stderr
    assert "homeward encryption newkey" in result.stderr
    result = _production({"HOMEWARD_INDEX_KEY": "i" * 40})
    assert "HOMEWARD_ENCRYPTION_KEYS not set" in result.stderr
    result = _production({"HOMEWARD_ENCRYPTION_KEYS": "nonsense", "HOMEWARD_INDEX_KEY": "i" * 40})
    assert result.returncode != 0
    assert "HOMEWARD_ENCRYPTION_KEYS: key 1 is not a Fernet key" in result.stderr
    ok = _production({"HOMEWARD_ENCRYPTION_KEYS": f"{KEY_A},{KEY_B}", "HOMEWARD_INDEX_KEY": "i" * 40})
    assert ok.returncode == 0, ok.stderr
