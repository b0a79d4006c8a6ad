"""Uploaded files: stored outside the web root, served only after a permission check.

An upload is judged by its content, never by its name or the type the browser
claims: ``check_upload`` sniffs the first bytes and accepts PDF, JPEG and PNG
only. Stored names are random, with the extension of the sniffed type. Files
are never given a URL; ``serve_private`` streams one to a user the calling
view has already checked.

The private storage encrypts every file at rest (``EncryptedFileSystemStorage``)
with the keys of ``core.crypto``, chunk by chunk so that a large export or
import is never held in memory whole.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import struct
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from homeward.core import crypto
from homeward.core.errors import ServiceError

logger = logging.getLogger(__name__)

# The types a scan or a piece of evidence may be, with the extension it is stored under.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
# filetype needs at most this many bytes to recognise a type.
_SNIFF_BYTES = 8192


# An encrypted file: MAGIC, then chunks, each a 4-byte length and a Fernet token of
# (8-byte chunk number, 1-byte "last" flag, up to CHUNK_BYTES of content). The number
# and the flag are inside the authenticated token, so chunks cannot be reordered,
# dropped or the file cut short without the reading failing.
MAGIC = b"HWENC1\n"
CHUNK_BYTES = 1024 * 1024
_HEADER = struct.Struct(">QB")
_LENGTH = struct.Struct(">I")


class UnencryptedFileError(OSError):
    """A private file stored before encryption: refused until ``homeward encryption rotate`` encrypts it."""


def _encrypted_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield MAGIC
    buffer = b""
    number = 0
    for piece in chunks:
        buffer += piece.encode() if isinstance(piece, str) else piece
        # Strictly more than a chunk: what is left at the end (up to a chunk) is the last one.
        while len(buffer) > CHUNK_BYTES:
            yield _sealed(number, buffer[:CHUNK_BYTES], last=False)
            number += 1
            buffer = buffer[CHUNK_BYTES:]
    yield _sealed(number, buffer, last=True)


def _sealed(number: int, data: bytes, *, last: bool) -> bytes:
    token = crypto.encrypt_bytes(_HEADER.pack(number, int(last)) + data)
    return _LENGTH.pack(len(token)) + token


def _read_exactly(handle: Any, size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise crypto.InvalidToken
    return data


def _tokens(handle: Any) -> Iterator[bytes]:
    """The chunk tokens of an encrypted file, after its MAGIC."""
    while True:
        head = handle.read(_LENGTH.size)
        if not head:
            return
        if len(head) != _LENGTH.size:
            raise crypto.InvalidToken
        yield _read_exactly(handle, _LENGTH.unpack(head)[0])


class _DecryptingReader(io.RawIOBase):
    """The plaintext of an encrypted file, decrypted a chunk at a time as it is read."""

    def __init__(self, path: str, name: str) -> None:
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        if self._handle.read(len(MAGIC)) != MAGIC:
            self._handle.close()
            logger.error("Private file %s is not encrypted: run `homeward encryption rotate`.", name)
            raise UnencryptedFileError(f"{name} is not encrypted: run `homeward encryption rotate`")
        self._tokens = _tokens(self._handle)
        self._buffer = b""
        self._expected = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bool:
        if self._done:
            return False
        token = next(self._tokens, None)
        if token is None:
            raise crypto.InvalidToken  # the file was cut short: no last chunk
        plain = crypto.decrypt_bytes(token)
        number, last = _HEADER.unpack_from(plain)
        if number != self._expected:
            raise crypto.InvalidToken
        self._expected += 1
        self._buffer += plain[_HEADER.size :]
        if last:
            if next(self._tokens, None) is not None:
                raise crypto.InvalidToken
            self._done = True
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer and self._next_chunk():
            pass
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self) -> None:
        self._handle.close()
        super().close()


class _DecryptedFile(File):
    """A private file opened for reading; reopening goes through the storage again (never the raw bytes)."""

    def __init__(self, storage: EncryptedFileSystemStorage, name: str) -> None:
        self._storage = storage
        super().__init__(storage._reader(name), name)

    def open(self, mode: str | None = None) -> _DecryptedFile:
        if self.closed:
            self.file = self._storage._reader(self.name)
        else:
            self.seek(0)
        return self

    def seek(self, offset: int, whence: int = 0) -> int:
        # Only a rewind is possible: start reading again from the first chunk.
        if (offset, whence) != (0, 0):
            raise io.UnsupportedOperation("an encrypted file can only be rewound")
        self.file.close()
        self.file = self._storage._reader(self.name)
        return 0

    @property
    def size(self) -> int:
        return self._storage.size(self.name)


class _EncryptingContent(File):
    """What FileSystemStorage._save writes: the content's chunks, encrypted (and never moved into place as is)."""

    def __init__(self, content: Any) -> None:
        super().__init__(None, getattr(content, "name", None))
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        if hasattr(self._content, "seek"):
            with contextlib.suppress(AttributeError, OSError, ValueError):
                self._content.seek(0)
        return _encrypted_chunks(iter(self._content.chunks(CHUNK_BYTES)))


class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files are encrypted on disk; opening one gives its plaintext."""

    def _save(self, name: str, content: Any) -> str:
        return str(super()._save(name, _EncryptingContent(content)))

    def _reader(self, name: str) -> io.BufferedReader:
        return io.BufferedReader(_DecryptingReader(self.path(name), name), buffer_size=CHUNK_BYTES)

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Private files are written with save(), never opened for writing.")
        return _DecryptedFile(self, name)

    def size(self, name: str) -> int:
        """The size of the content (not of the encrypted file): read through once."""
        total = 0
        with self._reader(name) as reader:
            while block := reader.read(CHUNK_BYTES):
                total += len(block)
        return total

    def is_encrypted(self, name: str) -> bool:
        with open(self.path(name), "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC

    def reencrypt(self, name: str) -> bool:
        """Encrypt a legacy plaintext file, or re-encrypt one not wholly under the first key; False if nothing to do.

        The new file is written beside the old one and renamed over it, so a crash leaves one or the other whole.
        """
        path = self.path(name)
        with open(path, "rb") as handle:
            legacy = handle.read(len(MAGIC)) != MAGIC
            if not legacy and all(crypto.under_first_key(t) for t in _tokens(handle)):
                return False
        if legacy:
            with open(path, "rb") as handle:
                chunks = _encrypted_chunks(iter(lambda: handle.read(CHUNK_BYTES), b""))
                self._replace(path, chunks)
        else:
            with self._reader(name) as reader:
                self._replace(path, _encrypted_chunks(iter(lambda: reader.read(CHUNK_BYTES), b"")))
        return True

    @staticmethod
    def _replace(path: str, chunks: Iterator[bytes]) -> None:
        directory = os.path.dirname(path)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".rotating-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def all_names(self) -> Iterator[str]:
        """Every stored file's name, for rotation."""
        root = str(self.location)
        for directory, _dirs, files in os.walk(root):
            for file in files:
                if not file.startswith(".rotating-"):
                    yield os.path.relpath(os.path.join(directory, file), root).replace(os.sep, "/")


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
    # The decrypted stream has no name on disk: FileResponse must not take the encrypted file's size.
    handle = getattr(handle, "file", handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
