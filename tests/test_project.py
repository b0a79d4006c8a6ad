"""Project-level guarantees: migrations, configuration, the demo, the console command."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.programmes.models import Programme

ROOT = Path(__file__).resolve().parents[1]
# Production refuses to start without encryption keys (tests/core/test_encryption.py): fresh ones for each run.
ENCRYPTION_ENV = {
    "HOMEWARD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "HOMEWARD_INDEX_KEY": secrets.token_urlsafe(32),
}


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"missing migrations (exit {exit_.code}):\n{out.getvalue()}")


def _settings_process(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOMEWARD_", "DJANGO_", "SECRET_KEY", "DEBUG", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import homeward.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _settings_process({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_names_the_variable() -> None:
    result = _settings_process({"SECRET_KEY": "x", "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_defaults_are_safe() -> None:
    code = (
        "import homeward.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.DATABASES['default']['ENGINE'], "
        "s.HOMEWARD_TWO_FACTOR_REQUIRED, s.AXES_ENABLED)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "DJANGO_", "DEBUG", "DATABASE_URL"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, "SECRET_KEY": "x", "DATABASE_URL": "postgres://u:p@db.example:5432/homeward", **ENCRYPTION_ENV},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["False", "True", "django.db.backends.postgresql", "True", "True"]


def test_the_console_command_wraps_manage_py() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "homeward.cli", "help"],
        env={**os.environ, "HOMEWARD_DEMO": "1"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for command in ("demo", "seed_demo", "serve", "token", "migrate"):
        assert command in result.stdout


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "DJANGO_", "SECRET_KEY", "DEBUG"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "homeward.cli", *args], env={**clean, **env}, capture_output=True, text=True, check=False
    )


def test_the_console_command_refuses_to_start_without_keys_in_one_readable_line(tmp_path: Path) -> None:
    result = _cli("migrate", env={"SECRET_KEY": "x", "HOMEWARD_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert result.stderr.startswith("homeward: HOMEWARD_ENCRYPTION_KEYS and HOMEWARD_INDEX_KEY not set")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "homeward.sqlite3").exists() or not (tmp_path / "homeward.sqlite3").stat().st_size


def test_the_first_keys_can_be_made_before_there_are_keys(tmp_path: Path) -> None:
    env = {"SECRET_KEY": "x", "HOMEWARD_VAR_DIR": str(tmp_path)}
    key = _cli("encryption", "newkey", env=env)
    assert key.returncode == 0, key.stderr
    Fernet(key.stdout.strip().encode())  # a valid Fernet key, or this raises
    index = _cli("encryption", "newkey", "--index", env=env)
    assert index.returncode == 0, index.stderr
    assert len(index.stdout.strip()) >= 32


@pytest.mark.django_db
def test_the_demo_has_host_and_origin_missions_one_user_per_role_and_varied_cases() -> None:
    from homeward.accounts.roles import Role
    from homeward.demo.returning import RETURNING
    from homeward.demo.seed import seed
    from homeward.matching import selectors as matching

    logins = seed(cases=40)
    assert {login.role for login in logins} >= {str(r.label) for r in Role}
    assert Mission.objects.filter(kind="host").count() == 4
    assert Mission.objects.filter(kind="origin").count() >= 6
    assert sorted(Programme.objects.values_list("missions__code", flat=True)) == ["GR", "HU", "RO", "SK"]
    # Besides the 40, a few who returned home come back under another spelling: matching finds them.
    returned = Case.objects.count() - 40
    assert 0 < returned <= RETURNING
    again = Case.objects.filter(referral_source="self", members__person__birth_date_precision="year")
    assert any(matching.find_for_person(c.members.get().person_id) for c in again)
    families = [c for c in Case.objects.all() if c.members.count() > 1]
    assert 0 < len(families) < 40
    # The registered cases are assessed and spread across the four programmes.
    assert Case.objects.filter(status="registered", programme=None).count() == 0
    assert Case.objects.exclude(programme=None).values("programme").distinct().count() == 4
    assert User.objects.get(username="counsellor.gr").check_password("homeward-demo")
    # Some are on their way home, moved by the workflow's own services.
    from homeward.cases.models import Transition

    assert Transition.objects.exclude(to_status="registered").exists()
    assert Case.objects.exclude(status__in=["inquiry", "registered"]).exists()
    # Before the return: the public site, the directory's embassies (travel documents are asked of them),
    # inquiries in triage with an appointment, the open centre and a course.
    from homeward.accommodation.models import Placement
    from homeward.activities.models import Enrolment
    from homeward.appointments.models import Appointment, OfficeHours
    from homeward.public.models import Page
    from homeward.travel.models import TravelDocumentRequest
    from homeward.triage.models import Inquiry

    assert Page.objects.filter(mission__code="GR", published=True).count() >= 5
    assert OfficeHours.objects.filter(office__mission__code="GR").count() == 5
    documents = TravelDocumentRequest.objects.all()
    assert documents.exists()
    assert not documents.filter(embassy=None).exists()
    assert Inquiry.objects.filter(mission__code="GR").count() == 3
    assert Appointment.objects.filter(inquiry__isnull=False, interpreter_needed=True).count() == 1
    assert Placement.objects.exists()
    assert Enrolment.objects.exists()
    seed(cases=40)  # idempotent: a second run adds nothing
    assert Case.objects.count() == 40 + returned
    assert Inquiry.objects.count() == 3


@pytest.mark.django_db
def test_the_case_history_uses_an_index_on_postgresql(counsellor_gr: User, case_gr: Case) -> None:
    from django.db import connection

    from homeward.cases import selectors

    if connection.vendor != "postgresql":
        pytest.skip("the expression index exists on PostgreSQL only (see cases/migrations/0002)")
    history = selectors.case_history(counsellor_gr, selectors.case_for_user(counsellor_gr, pk=case_gr.pk))
    assert history
    from auditlog.models import LogEntry

    # Unordered, with fresh statistics: the plan then depends on the index, not on a tiny table's whims.
    sql, params = LogEntry.objects.filter(additional_data__case_id=case_gr.pk).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auditlog_logentry")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "homeward_logentry_case_id" in plan, plan


def test_production_settings_pass_djangos_deployment_check_with_no_warning(tmp_path) -> None:
    """``check --deploy`` as a mission would run it: a real secret, its host, behind TLS."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "DJANGO_", "DEBUG", "DATABASE_URL"))}
    env = {**clean, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "homeward.example.org",
           "HOMEWARD_VAR_DIR": str(tmp_path), **ENCRYPTION_ENV}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "homeward.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
    # And the same check does catch a weakened set-up: HSTS off is a warning.
    weak = subprocess.run(
        [sys.executable, "-m", "homeward.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "HOMEWARD_HSTS_SECONDS": "0"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert weak.returncode != 0
    assert "security.W004" in weak.stderr + weak.stdout
