"""Uploads are judged by their content and size; stored files are served only as private downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from homeward.core import files
from homeward.core.errors import ServiceError
from tests.counselling.uploads import EXE, HTML_PAGE, jpeg, pdf, png, private_storage_in, upload


@pytest.fixture(autouse=True)
def private_files(settings: object, tmp_path: Path) -> Path:
    return private_storage_in(settings, tmp_path)


def test_a_pdf_is_accepted_as_a_pdf() -> None:
    assert files.check_upload(upload(pdf(), "scan.pdf")) == "application/pdf"


def test_a_jpeg_and_a_png_are_accepted() -> None:
    assert files.check_upload(upload(jpeg(), "photo.jpg", "image/jpeg")) == "image/jpeg"
    assert files.check_upload(upload(png(), "photo.png", "image/png")) == "image/png"


def test_a_png_renamed_pdf_is_accepted_as_the_png_it_is() -> None:
    assert files.check_upload(upload(png(), "scan.pdf", "application/pdf")) == "image/png"


@pytest.mark.parametrize("content", [HTML_PAGE, EXE, b"just some text, not a document" * 20])
def test_other_content_renamed_pdf_is_refused(content: bytes) -> None:
    with pytest.raises(ServiceError) as error:
        files.check_upload(upload(content, "scan.pdf", "application/pdf"))
    assert "Only PDF, JPEG or PNG" in error.value.message
    assert error.value.fields["file"]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ServiceError, match="empty"):
        files.check_upload(upload(b"", "scan.pdf"))


def test_a_file_over_the_limit_is_refused_with_the_limit_in_megabytes(settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]
    big = pdf() + b"\0" * (2 * 1024 * 1024)
    with pytest.raises(ServiceError) as error:
        files.check_upload(upload(big, "scan.pdf"), field="evidence_file")
    assert "at most 2 MB" in error.value.message
    assert error.value.fields == {"evidence_file": [error.value.message]}


def test_a_file_at_the_limit_is_accepted(settings: object) -> None:
    content = png()
    settings.UPLOAD_MAX_BYTES = len(content)  # type: ignore[attr-defined]
    assert files.check_upload(upload(content, "a.png", "image/png")) == "image/png"


def test_checking_leaves_the_file_ready_to_be_saved_whole() -> None:
    content = pdf()
    uploaded = upload(content)
    files.check_upload(uploaded)
    assert uploaded.read() == content


def test_the_stored_name_follows_the_content_not_the_users_name() -> None:
    assert files.stored_name("scan", "image/png") == "scan.png"
    assert files.stored_name("scan", "application/pdf") == "scan.pdf"


def test_the_private_storage_follows_the_setting_and_has_no_url(private_files: Path) -> None:
    storage = files.private_storage()
    name = storage.save("cases/1/x.pdf", ContentFile(b"%PDF-1.4"))
    assert (private_files / name).exists()
    assert storages["private"].location == str(private_files)
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)


class _Stored:
    """A FieldFile's face: a stored name in the private storage."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.storage = files.private_storage()

    def __bool__(self) -> bool:
        return bool(self.name)


def test_serve_private_sends_an_attachment_that_is_not_sniffed_or_cached() -> None:
    name = files.private_storage().save("cases/1/scan.png", ContentFile(png()))
    response = files.serve_private(_Stored(name), "image/png", "declaration-GR-1-signed.png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="declaration-GR-1-signed.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == png()


def test_serve_private_is_404_without_a_file() -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        files.serve_private(_Stored(""), "application/pdf", "x.pdf")
    with pytest.raises(Http404):
        files.serve_private(_Stored("cases/1/gone.pdf"), "application/pdf", "x.pdf")
