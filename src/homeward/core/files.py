"""Uploaded files: stored outside the web root, served only after a permission check."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]


def case_file_path(instance: object, filename: str) -> str:
    """``cases/<case id>/<random>.<ext>``: the name a user gave is never a path on disk."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"  # type: ignore[attr-defined]
