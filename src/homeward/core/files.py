"""Uploaded files: stored outside the web root, served only after a permission check.

An upload is judged by its content, never by its name or the type the browser
claims: ``check_upload`` sniffs the first bytes and accepts PDF, JPEG and PNG
only. Stored names are random, with the extension of the sniffed type. Files
are never given a URL; ``serve_private`` streams one to a user the calling
view has already checked.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from homeward.core.errors import ServiceError

# The types a scan or a piece of evidence may be, with the extension it is stored under.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
# filetype needs at most this many bytes to recognise a type.
_SNIFF_BYTES = 8192


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up again whenever the STORAGES setting changes (tests)."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]

    def url(self, name: str, *args: Any, **kwargs: Any) -> str:
        # FileSystemStorage falls back to MEDIA_URL; a private file must never get an address.
        raise ValueError("Private files have no URL: serve them with core.files.serve_private.")


_private = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage() -> Storage:
    return _private  # type: ignore[return-value]


def case_file_path(instance: object, filename: str) -> str:
    """``cases/<case id>/<random>.<ext>``: the name a user gave is never a path on disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"  # type: ignore[attr-defined]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g}"


def check_upload(file: Any, *, field: str = "file") -> str:
    """The content type of an acceptable upload, from its content; ServiceError otherwise.

    Rule: a PDF, JPEG or PNG whatever the file's name says, and no larger than
    ``settings.UPLOAD_MAX_BYTES``. Errors are keyed ``field`` for the form.
    """
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > limit:
        message = _("The file is too large: at most %(limit)s MB can be uploaded.") % {"limit": _megabytes(limit)}
        raise ServiceError(message, {field: [message]})
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    if not head:
        message = _("The file is empty.")
        raise ServiceError(message, {field: [message]})
    kind = filetype.guess(bytes(head))
    if kind is None or kind.mime not in ALLOWED_TYPES:
        message = _("Only PDF, JPEG or PNG files can be uploaded; this file is not one, whatever its name says.")
        raise ServiceError(message, {field: [message]})
    return str(kind.mime)


def stored_name(stem: str, content_type: str) -> str:
    """The name to save an upload under: its extension follows the content, not the user's name."""
    return f"{stem}{ALLOWED_TYPES.get(content_type, '')}"


def serve_private(file_field: Any, content_type: str, download_name: str) -> FileResponse:
    """Stream a stored file as a download. The caller has checked the user may see it.

    ``nosniff`` keeps a browser from reading the file as anything but the type
    we sniffed at upload; ``no-store`` keeps it out of shared and browser caches.
    """
    if not file_field:
        raise Http404
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
