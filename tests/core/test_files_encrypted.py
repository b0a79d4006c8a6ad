"""Uploaded files are encrypted on disk, streamed back as they were, and a tampered or legacy file is refused."""

from __future__ import annotations

import os
import secrets
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.crypto import InvalidToken
from homeward.safeguarding import services
from tests.counselling.uploads import pdf, private_storage_in, upload
from tests.safeguarding.conftest import give, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings: object, tmp_path: Path) -> Path:
    return private_storage_in(settings, tmp_path)


def test_an_uploaded_scan_is_not_readable_on_disk_and_downloads_as_it_was(
    counsellor_gr: User, case_gr: Case, private_files: Path
) -> None:
    scan = pdf()
    give(member(case_gr, "Imran"), "health_needs")
    item = services.item_record(
        acting_user=counsellor_gr, case=case_gr, member=member(case_gr, "Imran"), vulnerability="health_needs",
        item="fit_to_travel", done_on=timezone.localdate(), evidence="Certificate.",
        evidence_file=upload(scan, "fit.pdf"),
    )  # fmt: skip
    on_disk = (private_files / item.evidence_file.name).read_bytes()
    assert scan.startswith(b"%PDF")
    assert not on_disk.startswith(b"%PDF")
    assert b"%PDF" not in on_disk
    assert on_disk.startswith(files.MAGIC)

    client = Client()
    client.force_login(counsellor_gr)
    response = client.get(reverse("safeguarding:evidence", args=[case_gr.reference, item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == scan  # type: ignore[attr-defined]
    # The length is not taken from the encrypted file on disk (which is longer).
    assert response.get("Content-Length") in (None, str(len(scan)))


def test_a_file_larger_than_a_chunk_round_trips_and_reports_its_own_size(private_files: Path) -> None:
    storage = storages["private"]
    content = secrets.token_bytes(files.CHUNK_BYTES * 2 + 123)
    name = storage.save("jobs/out/big.bin", ContentFile(content))
    on_disk = (private_files / name).read_bytes()
    assert content[:64] not in on_disk
    with storage.open(name) as handle:
        assert handle.read(10) == content[:10]
        assert handle.read() == content[10:]
    assert storage.size(name) == len(content)
    for exact in (b"", secrets.token_bytes(files.CHUNK_BYTES)):
        small = storage.save("jobs/out/exact.bin", ContentFile(exact))
        assert storage.open(small).read() == exact


def test_a_file_cut_short_or_with_chunks_swapped_is_refused(private_files: Path) -> None:
    storage = storages["private"]
    name = storage.save("jobs/out/big.bin", ContentFile(secrets.token_bytes(files.CHUNK_BYTES * 2 + 5)))
    path = private_files / name
    whole = path.read_bytes()
    body = whole[len(files.MAGIC) :]
    chunks = []
    while body:
        size = int.from_bytes(body[:4], "big")
        chunks.append(body[: 4 + size])
        body = body[4 + size :]
    assert len(chunks) == 3

    path.write_bytes(files.MAGIC + chunks[0] + chunks[1])  # the last chunk dropped
    with pytest.raises(InvalidToken):
        storage.open(name).read()
    path.write_bytes(files.MAGIC + chunks[1] + chunks[0] + chunks[2])  # two chunks swapped
    with pytest.raises(InvalidToken):
        storage.open(name).read()


def test_a_legacy_plaintext_file_is_refused_until_rotate_encrypts_it(private_files: Path) -> None:
    storage = storages["private"]
    legacy = private_files / "cases" / "1" / "old.pdf"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"%PDF-1.4 stored before encryption")
    with pytest.raises(files.UnencryptedFileError, match="homeward encryption rotate"):
        storage.open("cases/1/old.pdf")

    out = StringIO()
    call_command("encryption", "rotate", stdout=out)
    assert "Files: 1 of 1 re-encrypted." in out.getvalue()
    assert not legacy.read_bytes().startswith(b"%PDF")
    assert storage.open("cases/1/old.pdf").read() == b"%PDF-1.4 stored before encryption"
    assert not [f for f in os.listdir(legacy.parent) if f.startswith(".rotating-")]
    # Run again: nothing left to do.
    out = StringIO()
    call_command("encryption", "rotate", stdout=out)
    assert "Files: 0 of 1 re-encrypted." in out.getvalue()
