"""``homeward import FILE --mapping NAME --mission CODE --user USERNAME``: dry run, import, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.imports import mapping, services
from tests import journey
from tests.imports.conftest import GOOD_ROWS, HEADER, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(counsellor_gr: User, gr: Mission) -> None:
    services.mapping_save(acting_user=counsellor_gr, mission=gr, name="GR tracker",
                          columns=mapping.guess(HEADER), date_order="dmy")  # fmt: skip


def _import(path: Path, *args: str, user: str = "counsellor.gr") -> tuple[str, str, CommandError | None]:
    """What the command printed, on stdout and stderr, and the error it exited with (non-zero exit code)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", str(path), "--mapping", "GR tracker", "--mission", "GR", "--user", user, *args,
                     stdout=out, stderr=err)  # fmt: skip
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.mark.usefixtures("saved")
def test_the_dry_run_prints_progress_and_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    out, _err, error = _import(path, "--dry-run")
    assert error is None
    assert "Checking rows (6)…" in out
    assert "Dry run: 6 rows, 3 cases with 6 people would be imported." in out
    assert not Case.objects.exists()


@pytest.mark.usefixtures("saved")
def test_the_import_registers_the_cases_in_the_programme(tmp_path: Path, pk: Mission) -> None:
    programme = journey.programme()
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    out, _err, error = _import(path, "--programme", programme.code)
    assert error is None
    assert "Registering the cases (3)…" in out
    assert "Imported 3 cases with 6 people from 6 rows." in out
    assert set(Case.objects.values_list("programme__code", flat=True)) == {programme.code}


@pytest.mark.usefixtures("saved")
def test_bad_rows_are_printed_the_exit_code_is_an_error_and_nothing_is_imported(tmp_path: Path) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][7], rows[3][2] = "Narnia", "sister"
    path = tmp_path / "tracker.csv"
    path.write_text("\n".join(";".join(str(v) for v in r) for r in [HEADER, *rows]), encoding="utf-8")
    _out, err, error = _import(path)
    assert str(error) == "Nothing was imported."
    assert "Row 3 · Nationality: “Narnia” is not a country we know" in err
    assert "Row 5 · Relationship: The family in rows 5–6 has no principal applicant" in err
    assert not Case.objects.exists()


@pytest.mark.usefixtures("saved")
def test_a_user_of_another_mission_cannot_use_its_mapping(tmp_path: Path, counsellor_ro: User) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    _out, _err, error = _import(path, user="counsellor.ro")
    assert str(error) == "No mapping 'GR tracker' saved for GR that counsellor.ro may use."
    assert not Case.objects.exists()
