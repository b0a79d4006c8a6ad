"""Real files for upload tests, and a private storage in a temporary directory.

The bytes are made by the libraries that make such files (Pillow, WeasyPrint),
so the sniffing is tested against what people actually upload.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def private_storage_in(settings: Any, tmp_path: Path) -> Path:
    """Point the "private" storage at ``tmp_path/private`` for one test.

    Assigning through pytest-django's ``settings`` fires ``setting_changed``,
    which empties Django's storage cache and ``core.files``' lazy handle.
    """
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": settings.STORAGES["private"]["BACKEND"],  # the encrypting storage, as in production
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    assert Path(storages["private"].location) == root
    return root


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def png() -> bytes:
    return image_bytes("PNG")


def jpeg() -> bytes:
    return image_bytes("JPEG")


def pdf() -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string="<p>Signed.</p>").write_pdf())


HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# The start of a Windows executable: the MZ header and the PE offset.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def upload(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    """A file as a browser sends it: the name and type are whatever the user's machine says."""
    return SimpleUploadedFile(name, content, content_type=content_type)
