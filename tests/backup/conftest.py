"""Helpers of the backup tests: a populated installation, and tables and files hashed without the backup code."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile

# Left out of the comparison: sessions are not backed up (a restore logs everyone out); django_migrations is
# written by `migrate` on the new installation (compared as a set of names instead); sqlite_sequence is SQLite's.
NOT_COMPARED = {"django_session", "django_migrations", "sqlite_sequence"}


@pytest.fixture
def backup_key(settings: Any) -> str:
    key = Fernet.generate_key().decode()
    settings.HOMEWARD_BACKUP_KEYS = [key]
    return key


@pytest.fixture
def own_files(settings: Any, tmp_path: Path) -> Path:
    """An empty files directory of this test's own (the suite's is shared by every test)."""
    root = tmp_path / "files"
    root.mkdir()
    settings.FILES_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": root, "base_url": None}},
    }
    return root


def add_files() -> list[str]:
    """Uploaded files through the private storage (so encrypted at rest, as in production): two scans and one
    large enough to span several chunks of the archive."""
    from homeward.accounts.models import User
    from homeward.cases.models import Case
    from homeward.core.files import private_storage
    from tests.journey import declare

    user = User.objects.order_by("pk").first()
    names = [declare(case, user).scan.name for case in Case.objects.order_by("pk")[:2]]
    names.append(private_storage().save("jobs/out/large-export.bin", ContentFile(os.urandom(3 * 1024 * 1024))))
    return names


def file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _digest(rows: list[tuple[Any, ...]]) -> tuple[int, str]:
    # Order-free: every row's repr, sorted, hashed; the same rows give the same digest whatever their order.
    digest = hashlib.sha256()
    for text in sorted(repr(tuple(row)) for row in rows):
        digest.update(text.encode() + b"\n")
    return len(rows), digest.hexdigest()


def sqlite_tables(path: str) -> dict[str, tuple[int, str]]:
    import sqlite3

    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        result = {name: _digest(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}  # noqa: S608
        migrations = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
    db.close()
    return {**result, "(migrations)": (len(migrations), repr(sorted(migrations)))}


def postgres_tables(conninfo: dict[str, Any]) -> dict[str, tuple[int, str]]:
    import psycopg

    with psycopg.connect(**conninfo) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE'"
            )
        ]
        result = {name: _digest(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}  # noqa: S608
        migrations = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
    return {**result, "(migrations)": (len(migrations), repr(sorted(migrations)))}
