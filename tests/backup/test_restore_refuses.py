"""Bad input: what `homeward restore` refuses, and that a refused restore leaves everything as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.core import backup
from homeward.counselling.models import Declaration
from homeward.people.models import IdentityDocument
from tests.backup.conftest import add_files, file_hashes
from tests.factories import MissionFactory, UserFactory, register_case


@pytest.fixture
def archive(db: None, backup_key: str, own_files: Path, tmp_path: Path) -> Path:
    """An archive of an installation with one case and its files; the database and files are then emptied
    again (a savepoint rolled back, the files removed), so each test starts from a new installation."""
    path = tmp_path / "one-case.backup"
    with transaction.atomic():
        gr = MissionFactory(code="GR", name="IOM Greece", country="GR")
        counsellor = UserFactory(username="counsellor.gr", roles=[(gr, Role.COUNSELLOR)])
        register_case(counsellor, gr, counsellor=counsellor)
        add_files()
        call_command("backup", str(path), verbosity=0)
        transaction.set_rollback(True)
    for file in sorted(own_files.rglob("*"), reverse=True):
        file.unlink() if file.is_file() else file.rmdir()
    assert not Case.objects.exists()
    return path


def _nothing_restored(files: Path) -> None:
    assert not Case.objects.exists()
    assert not User.objects.exists()
    assert file_hashes(files) == {}


def test_an_intact_archive_restores_into_a_new_installation(archive: Path, own_files: Path) -> None:
    call_command("restore", str(archive), verbosity=0)

    case = Case.objects.get()
    assert case.members.count() == 3
    # The encrypted document number came back as its token and still opens with the same keys.
    assert IdentityDocument.objects.get().number == "AB1234567"
    assert len(file_hashes(own_files)) == 2  # the scan and the export
    # The scan stayed encrypted on disk and opens with the same keys.
    scan = Declaration.objects.get().scan
    assert not (own_files / scan.name).read_bytes().startswith(b"%PDF")
    with scan.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    # New rows get new ids after the restored ones (PostgreSQL's sequences were reset).
    restored = Case.objects.get()
    assert MissionFactory(code="RO", name="IOM Romania", country="RO").pk > restored.host_mission_id


def test_restore_onto_a_database_with_data_is_refused_and_changes_nothing(archive: Path, own_files: Path) -> None:
    gr = MissionFactory(code="GR", name="IOM Greece", country="GR")
    UserFactory(username="admin", roles=[(gr, Role.ADMINISTRATOR)])

    with pytest.raises(CommandError, match=r"not empty: the table accounts_\w+ has rows"):
        call_command("restore", str(archive), verbosity=0)

    assert list(User.objects.values_list("username", flat=True)) == ["admin"]
    assert not Case.objects.exists()
    assert file_hashes(own_files) == {}


def test_restore_into_a_files_directory_with_files_is_refused(archive: Path, own_files: Path) -> None:
    (own_files / "left-over.pdf").write_bytes(b"old")

    with pytest.raises(CommandError, match=r"left-over\.pdf"):
        call_command("restore", str(archive), verbosity=0)

    assert not Case.objects.exists()


def test_a_wrong_key_is_refused(archive: Path, own_files: Path, settings: Any) -> None:
    settings.HOMEWARD_BACKUP_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="cannot be opened with HOMEWARD_BACKUP_KEY"):
        call_command("restore", str(archive), verbosity=0)

    _nothing_restored(own_files)


def test_an_old_key_still_opens_after_rotation(archive: Path, own_files: Path, settings: Any) -> None:
    settings.HOMEWARD_BACKUP_KEYS = [Fernet.generate_key().decode(), *settings.HOMEWARD_BACKUP_KEYS]

    call_command("restore", str(archive), verbosity=0)

    assert Case.objects.count() == 1


def test_a_truncated_archive_is_refused(archive: Path, own_files: Path, tmp_path: Path) -> None:
    data = archive.read_bytes()
    cut = tmp_path / "cut.backup"
    cut.write_bytes(data[: len(data) - 100])

    with pytest.raises(CommandError, match="cut short"):
        call_command("restore", str(cut), verbosity=0)

    _nothing_restored(own_files)


def test_an_archive_that_lost_its_last_part_is_refused(archive: Path, own_files: Path, tmp_path: Path) -> None:
    # Cut exactly at a chunk boundary: every remaining chunk is intact, only the final one is missing.
    data = archive.read_bytes()
    position, starts = len(backup.MAGIC) + 16, []
    while position < len(data):
        starts.append(position)
        position += 4 + int.from_bytes(data[position : position + 4], "big")
    assert len(starts) >= 3  # the 3 MB file spans several chunks
    cut = tmp_path / "cut.backup"
    cut.write_bytes(data[: starts[-1]])

    with pytest.raises(CommandError, match="cut short"):
        call_command("restore", str(cut), verbosity=0)

    _nothing_restored(own_files)


def test_an_altered_archive_is_refused(archive: Path, own_files: Path, tmp_path: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered = tmp_path / "altered.backup"
    altered.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="damaged or was altered"):
        call_command("restore", str(altered), verbosity=0)

    _nothing_restored(own_files)


def test_backup_check_reads_an_archive_through(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("backup", str(archive), check=True)

    assert "is intact" in capsys.readouterr().out


def test_backup_without_a_key_refuses_and_writes_nothing(db: None, settings: Any, tmp_path: Path) -> None:
    settings.HOMEWARD_BACKUP_KEYS = []

    with pytest.raises(CommandError, match="HOMEWARD_BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path / "x.backup"))

    assert list(tmp_path.iterdir()) == []


def test_an_archive_from_a_newer_schema_is_refused(db: None) -> None:
    state = backup.migration_state()
    header = {"app_version": "9.0", "migrations": {**state, "cases": [*state["cases"], "9999_from_the_future"]}}

    with pytest.raises(backup.BackupError, match=r"newer Homeward \(9.0\).*cases.9999_from_the_future"):
        backup._check_migrations(header, "default")


def test_an_archive_from_an_older_schema_says_to_restore_on_its_version_then_migrate(db: None) -> None:
    state = backup.migration_state()
    header = {"app_version": "0.0.9", "migrations": {**state, "cases": state["cases"][:-1]}}

    with pytest.raises(
        backup.BackupError, match=r"older Homeward \(0.0.9\).*then upgrade it and run `homeward migrate`"
    ):
        backup._check_migrations(header, "default")


def test_only_derived_tables_have_rows_after_migrate(db: None) -> None:
    """DERIVED_MODELS lists every table `migrate` fills: a new data migration must be added there."""
    filled = {m._meta.label for m in backup.backed_up_models() if m._base_manager.exists()}

    assert filled <= backup.DERIVED_MODELS
