"""Back up a populated installation, restore it into a new one, and prove every table and file identical.

The new installation is a copy of the freshly migrated, still empty test database (what `homeward migrate`
makes), taken before the data goes in; the restore runs there as a mission would run it, in another process
with its own DATABASE_URL and files directory. Tables and files are compared by hashing them straight from
the two databases and directories, without the backup code.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from homeward.demo.seed import seed
from tests.backup.conftest import NOT_COMPARED, add_files, file_hashes, postgres_tables, sqlite_tables

pytestmark = pytest.mark.django_db(transaction=True)


def _conninfo(settings_dict: dict[str, Any], name: str) -> dict[str, Any]:
    info = {"dbname": name, "user": settings_dict["USER"], "host": settings_dict["HOST"] or None}
    if settings_dict.get("PASSWORD"):
        info["password"] = settings_dict["PASSWORD"]
    if settings_dict.get("PORT"):
        info["port"] = settings_dict["PORT"]
    return info


@pytest.fixture
def new_installation(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A second, empty, migrated database beside the test database, and how to reach and read both."""
    source = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        with sqlite3.connect(source["NAME"]) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        yield {
            "url": f"sqlite:///{target}",
            "before": lambda: sqlite_tables(source["NAME"]),
            "after": lambda: sqlite_tables(str(target)),
        }
        return
    import psycopg

    name = f"{source['NAME']}_restored"[:63]
    admin = {**_conninfo(source, "postgres"), "autocommit": True}
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source["NAME"]}"')
    info = _conninfo(source, name)
    url = f"postgres://{info['user']}:{info.get('password', '')}@{info['host'] or ''}:{info.get('port', '')}/{name}"
    try:
        yield {
            "url": url,
            "before": lambda: postgres_tables(_conninfo(source, source["NAME"])),
            "after": lambda: postgres_tables(info),
        }
    finally:
        with psycopg.connect(**admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(archive: Path, url: str, files: Path, key: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "homeward.settings",
        "HOMEWARD_DEMO": "1",
        "DEBUG": "false",
        "HOMEWARD_HTTPS": "false",
        "DATABASE_URL": url,
        "HOMEWARD_VAR_DIR": str(tmp_path / "var"),
        "HOMEWARD_FILES_DIR": str(files),
        "HOMEWARD_BACKUP_KEY": key,
        "HOMEWARD_ENCRYPTION_KEYS": ",".join(django_settings.HOMEWARD_ENCRYPTION_KEYS),
        "HOMEWARD_INDEX_KEY": django_settings.HOMEWARD_INDEX_KEY,
    }
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "homeward.cli", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_restored_installation_is_identical_table_by_table_and_file_by_file(
    new_installation: dict[str, Any], backup_key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(cases=6)
    add_files()
    archive = tmp_path / "nightly.backup"

    call_command("backup", str(archive))
    assert "rows" in capsys.readouterr().out
    tables = {t: v for t, v in new_installation["before"]().items() if t not in NOT_COMPARED}
    files = file_hashes(Path(django_settings.FILES_ROOT))
    restored_files = tmp_path / "restored-files"

    done = _restore(archive, new_installation["url"], restored_files, backup_key, tmp_path)

    assert done.returncode == 0, done.stderr
    assert "match the archive's manifest" in done.stdout
    restored = {t: v for t, v in new_installation["after"]().items() if t not in NOT_COMPARED}
    assert set(restored) == set(tables)
    assert [t for t in sorted(tables) if tables[t] != restored[t]] == []
    # The comparison is about real data: most kinds of record are there, personal and encrypted ones included.
    filled = {t for t, (rows, _) in tables.items() if rows}
    assert len(filled) >= 40
    assert {"auditlog_logentry", "people_identitydocument", "assistance_provider", "counselling_declaration"} <= filled
    assert file_hashes(restored_files) == files
    assert len(files) >= 3
    # Encrypted: neither names, nor the PDF scans, nor the table names show in the archive.
    data = archive.read_bytes()
    for clear in (b"IOM Greece", b"counsellor.gr", b"%PDF", b"auditlog", b"people.Person"):
        assert clear not in data
