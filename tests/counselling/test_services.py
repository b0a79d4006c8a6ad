"""Counselling sessions, the supervisor's sign-off, the declaration and its signed scan: every rule both ways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases import services as case_services
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.core.errors import ServiceError
from homeward.counselling import services
from homeward.counselling.models import Declaration, Session
from homeward.work import services as work
from homeward.work.models import Task
from tests import journey
from tests.counselling.uploads import HTML_PAGE, pdf, png, upload

pytestmark = pytest.mark.django_db
S = CaseStatus


def record(user: User, case: Case, **overrides: Any) -> Session:
    values: dict[str, Any] = {
        "held_on": timezone.localdate(),
        "mode": "in_person",
        "language": "ur",
        "interpretation": "interpreter",
        "interpreter_name": "Bilal Ahmed",
        "attendees": list(case.members.all()),
        "topics": ["reintegration", "return_process"],
        "questions": "Can my daughter finish the school year?",
        "outcome": "wants_to_return",
        "informed_decision": True,
        "next_steps": "Prepare the declaration.",
    }
    values.update(overrides)
    return services.session_record(acting_user=user, case=case, **values)


def refused(user: User, case: Case, **overrides: Any) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        record(user, case, **overrides)
    return error.value


def adults(case: Case) -> list[CaseMember]:
    return [m for m in case.members.all() if m.relationship in ("principal", "spouse")]


def generate(user: User, case: Case, **overrides: Any) -> Declaration:
    values: dict[str, Any] = {"language": "en", "consent_processing": True, "consent_sharing": True}
    values.update(overrides)
    return services.declaration_generate(acting_user=user, case=case, **values)


def scan(user: User, declaration: Declaration, **overrides: Any) -> Declaration:
    values: dict[str, Any] = {
        "file": upload(pdf()),
        "signed_on": timezone.localdate(),
        "signatories": adults(declaration.case),
    }
    values.update(overrides)
    return services.declaration_upload_scan(acting_user=user, declaration=declaration, **values)


# ---------------------------------------------------------------- sessions


def test_a_counsellor_records_a_session(counsellor_gr: User, case: Case) -> None:
    session = record(counsellor_gr, case)
    session.refresh_from_db()
    assert session.counsellor == counsellor_gr
    assert session.language == "ur"
    assert session.topics == ["return_process", "reintegration"]  # in the list's order
    assert set(session.attendees.all()) == set(case.members.all())
    assert session.informed_decision is True


def test_recording_a_session_closes_the_counselling_task(counsellor_gr: User, case: Case) -> None:
    task = Task.objects.get(case=case, kind="counsel")
    assert task.status == "open"
    record(counsellor_gr, case, outcome="continue", informed_decision=False)
    task.refresh_from_db()
    assert task.status == "done"
    assert task.closed_by == counsellor_gr


@pytest.mark.parametrize("persona", ["movement_gr", "finance_gr", "counsellor_ro", "reintegration_pk"])
def test_only_a_counsellor_of_the_host_mission_records_sessions(
    persona: str, case: Case, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(persona), case)
    assert not case.sessions.exists()


def test_an_informed_decision_goes_only_with_the_decision_to_return(counsellor_gr: User, case: Case) -> None:
    for outcome in ("continue", "does_not_want_to_return"):
        error = refused(counsellor_gr, case, outcome=outcome, informed_decision=True)
        assert "informed_decision" in error.fields
    assert record(counsellor_gr, case, outcome="does_not_want_to_return", informed_decision=False).pk
    assert record(counsellor_gr, case, outcome="wants_to_return", informed_decision=True).pk


def test_a_session_cannot_be_in_the_future(counsellor_gr: User, case: Case) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert refused(counsellor_gr, case, held_on=tomorrow).fields["held_on"] == ["The session cannot be in the future."]
    assert record(counsellor_gr, case, held_on=timezone.localdate() - dt.timedelta(days=3)).pk


@pytest.mark.parametrize("code", ["xx", "urdu", "", "q9"])
def test_the_language_must_be_an_iso_639_code(counsellor_gr: User, case: Case, code: str) -> None:
    assert "language" in refused(counsellor_gr, case, language=code).fields


@pytest.mark.parametrize(("code", "stored"), [("UR", "ur"), ("prs", "prs"), (" el ", "el")])
def test_iso_639_codes_are_accepted_and_normalised(counsellor_gr: User, case: Case, code: str, stored: str) -> None:
    assert record(counsellor_gr, case, language=code).language == stored


def test_those_present_must_be_members_of_the_case(
    counsellor_gr: User, case: Case, counsellor_ro: User, case_ro: Case
) -> None:
    stranger = case_ro.members.first()
    error = refused(counsellor_gr, case, attendees=[case.members.first(), stranger])
    assert error.fields["attendees"] == ["Choose members of this case only."]
    assert refused(counsellor_gr, case, attendees=[]).fields["attendees"] == ["Say who was present."]


def test_at_least_one_known_topic(counsellor_gr: User, case: Case) -> None:
    assert refused(counsellor_gr, case, topics=[]).fields["topics"] == ["Tick at least one topic covered."]
    assert "topics" in refused(counsellor_gr, case, topics=["weather"]).fields
    assert record(counsellor_gr, case, topics=["health"]).topics == ["health"]


def test_mode_and_interpretation_come_from_their_lists(counsellor_gr: User, case: Case) -> None:
    assert "mode" in refused(counsellor_gr, case, mode="by_letter").fields
    assert "interpretation" in refused(counsellor_gr, case, interpretation="friend").fields
    error = refused(counsellor_gr, case, interpretation="", interpreter_name="Bilal Ahmed")
    assert "interpretation" in error.fields
    assert record(counsellor_gr, case, interpretation="", interpreter_name="").interpretation == ""


def test_every_error_is_reported_at_once(counsellor_gr: User, case: Case) -> None:
    error = refused(
        counsellor_gr, case, held_on=timezone.localdate() + dt.timedelta(days=1), language="xx", topics=[], attendees=[]
    )
    assert {"held_on", "language", "topics", "attendees"} <= set(error.fields)


def test_no_session_after_departure(counsellor_gr: User, case: Case) -> None:
    journey.set_status(case, S.DEPARTED)
    assert "before departure" in refused(counsellor_gr, case).message


# ---------------------------------------------------------------- the supervisor's sign-off


def test_a_supervisor_signs_off_a_decision(counsellor_gr: User, supervisor_gr: User, case: Case) -> None:
    session = record(counsellor_gr, case, mode="detention")
    services.session_sign_off(acting_user=supervisor_gr, session=session)
    session.refresh_from_db()
    assert session.signed_off_by == supervisor_gr
    assert session.signed_off_at is not None


def test_a_counsellor_cannot_sign_off(counsellor_gr: User, case: Case) -> None:
    session = record(counsellor_gr, case, mode="detention")
    with pytest.raises(PermissionDenied):
        services.session_sign_off(acting_user=counsellor_gr, session=session)


def test_a_supervisor_cannot_sign_off_their_own_session(supervisor_gr: User, case: Case) -> None:
    session = record(supervisor_gr, case, mode="detention")
    with pytest.raises(ServiceError, match="another supervisor"):
        services.session_sign_off(acting_user=supervisor_gr, session=session)
    session.refresh_from_db()
    assert session.signed_off_by is None


def test_a_supervisor_of_another_mission_cannot_sign_off(counsellor_gr: User, case: Case, ro: Any) -> None:
    from homeward.accounts.roles import Role
    from tests.factories import UserFactory

    supervisor_ro = UserFactory(username="supervisor.ro", roles=[(ro, Role.CASE_SUPERVISOR)])
    session = record(counsellor_gr, case, mode="detention")
    with pytest.raises(PermissionDenied):
        services.session_sign_off(acting_user=supervisor_ro, session=session)


def test_only_a_decision_to_return_is_signed_off_and_only_once(
    counsellor_gr: User, supervisor_gr: User, case: Case
) -> None:
    undecided = record(counsellor_gr, case, mode="detention", outcome="continue", informed_decision=False)
    with pytest.raises(ServiceError, match="informed decision"):
        services.session_sign_off(acting_user=supervisor_gr, session=undecided)
    decided = record(counsellor_gr, case, mode="detention")
    services.session_sign_off(acting_user=supervisor_gr, session=decided)
    with pytest.raises(ServiceError, match="already signed off"):
        services.session_sign_off(acting_user=supervisor_gr, session=decided)


def test_in_detention_two_sessions_and_a_sign_off_are_needed(
    counsellor_gr: User, supervisor_gr: User, case: Case
) -> None:
    decided = record(counsellor_gr, case, mode="detention")
    services.session_sign_off(acting_user=supervisor_gr, session=decided)
    with pytest.raises(ServiceError, match="at least two sessions"):
        journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    decided = record(counsellor_gr, case, mode="detention")
    with pytest.raises(ServiceError, match="supervisor must sign off"):
        journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    services.session_sign_off(acting_user=supervisor_gr, session=decided)
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    case.refresh_from_db()
    assert case.status == S.RETURN_DECLARED


def test_outside_detention_one_session_without_sign_off_is_enough(counsellor_gr: User, case: Case) -> None:
    record(counsellor_gr, case)
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    case.refresh_from_db()
    assert case.status == S.RETURN_DECLARED


# ---------------------------------------------------------------- the declaration


def test_the_declaration_waits_for_an_informed_decision(counsellor_gr: User, case: Case) -> None:
    with pytest.raises(ServiceError, match="informed decision"):
        generate(counsellor_gr, case)
    record(counsellor_gr, case, outcome="continue", informed_decision=False)
    with pytest.raises(ServiceError, match="informed decision"):
        generate(counsellor_gr, case)
    record(counsellor_gr, case)
    declaration = generate(counsellor_gr, case, language="ur", consent_sharing=False)
    assert declaration.generated_by == counsellor_gr
    assert (declaration.language, declaration.consent_processing, declaration.consent_sharing) == ("ur", True, False)


def test_the_declaration_of_a_detained_migrant_waits_for_the_sign_off(
    counsellor_gr: User, supervisor_gr: User, case: Case
) -> None:
    record(counsellor_gr, case, mode="detention", outcome="continue", informed_decision=False)
    decided = record(counsellor_gr, case, mode="detention")
    with pytest.raises(ServiceError, match="sign off"):
        generate(counsellor_gr, case)
    services.session_sign_off(acting_user=supervisor_gr, session=decided)
    assert generate(counsellor_gr, case).pk


def test_the_declaration_language_is_an_iso_code(counsellor_gr: User, case: Case) -> None:
    record(counsellor_gr, case)
    with pytest.raises(ServiceError) as error:
        generate(counsellor_gr, case, language="Urdu")
    assert "language" in error.value.fields


@pytest.mark.parametrize("persona", ["movement_gr", "finance_gr", "counsellor_ro"])
def test_only_a_counsellor_of_the_host_mission_prepares_the_declaration(
    counsellor_gr: User, case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    record(counsellor_gr, case)
    with pytest.raises(PermissionDenied):
        generate(request.getfixturevalue(persona), case)


# ---------------------------------------------------------------- the signed scan


@pytest.fixture
def declaration(counsellor_gr: User, case: Case) -> Declaration:
    record(counsellor_gr, case)
    return generate(counsellor_gr, case)


def test_the_scan_is_stored_privately_with_who_and_when(
    counsellor_gr: User, declaration: Declaration, private_files: Path
) -> None:
    scan(counsellor_gr, declaration)
    declaration.refresh_from_db()
    assert declaration.is_signed
    assert declaration.scan_content_type == "application/pdf"
    assert declaration.scan_uploaded_by == counsellor_gr
    assert declaration.scan_uploaded_at is not None
    assert set(declaration.signatories.all()) == set(adults(declaration.case))
    stored = private_files / declaration.scan.name
    assert stored.exists()  # encrypted on disk (tests/core/test_files_encrypted.py); the storage gives it back
    assert declaration.scan.open("rb").read().startswith(b"%PDF")
    assert declaration.scan.name.startswith(f"cases/{declaration.case_id}/")


def test_a_png_named_pdf_is_stored_as_a_png(counsellor_gr: User, declaration: Declaration) -> None:
    scan(counsellor_gr, declaration, file=upload(png(), "signed.pdf", "application/pdf"))
    declaration.refresh_from_db()
    assert declaration.scan_content_type == "image/png"
    assert declaration.scan.name.endswith(".png")


def test_a_web_page_named_pdf_is_refused_and_nothing_is_stored(
    counsellor_gr: User, declaration: Declaration, private_files: Path
) -> None:
    with pytest.raises(ServiceError) as error:
        scan(counsellor_gr, declaration, file=upload(HTML_PAGE, "signed.pdf"))
    assert "Only PDF, JPEG or PNG" in error.value.fields["file"][0]
    declaration.refresh_from_db()
    assert not declaration.scan
    assert not private_files.exists() or not any(private_files.rglob("*.*"))


def test_an_oversized_scan_is_refused(counsellor_gr: User, declaration: Declaration, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ServiceError) as error:
        scan(counsellor_gr, declaration, file=upload(pdf() + b"\0" * 1024 * 1024))
    assert error.value.fields["file"] == ["The file is too large: at most 1 MB can be uploaded."]


def test_a_bad_file_and_a_bad_date_are_reported_together(counsellor_gr: User, declaration: Declaration) -> None:
    with pytest.raises(ServiceError) as error:
        scan(counsellor_gr, declaration, file=upload(HTML_PAGE), signed_on=timezone.localdate() + dt.timedelta(days=1))
    assert set(error.value.fields) == {"file", "signed_on"}


def test_signed_neither_in_the_future_nor_before_it_was_prepared(counsellor_gr: User, declaration: Declaration) -> None:
    today = timezone.localdate()
    for day, message in (
        (today + dt.timedelta(days=1), "in the future"),
        (today - dt.timedelta(days=1), "cannot have been signed before"),
    ):
        with pytest.raises(ServiceError) as error:
            scan(counsellor_gr, declaration, signed_on=day)
        assert message in error.value.fields["signed_on"][0]
    assert scan(counsellor_gr, declaration, signed_on=today).signed_on == today


def test_signatories_must_be_members_of_the_case(
    counsellor_gr: User, declaration: Declaration, counsellor_ro: User, case_ro: Case
) -> None:
    with pytest.raises(ServiceError) as error:
        scan(counsellor_gr, declaration, signatories=[case_ro.members.first()])
    assert error.value.fields["signatories"] == ["Choose members of this case only."]
    with pytest.raises(ServiceError) as error:
        scan(counsellor_gr, declaration, signatories=[])
    assert error.value.fields["signatories"] == ["Say who signed."]


def test_only_a_counsellor_of_the_host_mission_uploads_the_scan(
    declaration: Declaration, movement_gr: User, counsellor_ro: User
) -> None:
    for user in (movement_gr, counsellor_ro):
        with pytest.raises(PermissionDenied):
            scan(user, declaration)


def test_uploading_the_scan_closes_the_signing_task(counsellor_gr: User, declaration: Declaration, gr: Any) -> None:
    task = work.task_open(
        case=declaration.case, kind="sign_declaration", due_at=timezone.now(), mission=gr, role="counsellor"
    )
    scan(counsellor_gr, declaration)
    task.refresh_from_db()
    assert task.status == "done"


def test_only_the_newest_declaration_is_signed(counsellor_gr: User, declaration: Declaration) -> None:
    newer = generate(counsellor_gr, declaration.case)
    with pytest.raises(ServiceError, match="newer declaration"):
        scan(counsellor_gr, declaration)
    assert scan(counsellor_gr, newer).is_signed


def test_a_new_scan_replaces_the_old_file(
    counsellor_gr: User, declaration: Declaration, private_files: Path, django_capture_on_commit_callbacks: Any
) -> None:
    scan(counsellor_gr, declaration)
    first = private_files / declaration.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        scan(counsellor_gr, declaration, file=upload(png(), "better.png", "image/png"))
    declaration.refresh_from_db()
    assert not first.exists()
    assert (private_files / declaration.scan.name).exists()


def test_the_declaration_signed_by_every_adult_opens_travel_preparation(
    counsellor_gr: User, declaration: Declaration
) -> None:
    case = declaration.case
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    principal = next(m for m in case.members.all() if m.is_principal)
    scan(counsellor_gr, declaration, signatories=[principal])
    with pytest.raises(ServiceError, match="not signed by Ayesha Khan"):
        journey.move(case, counsellor_gr, S.TRAVEL_PREPARATION)
    scan(counsellor_gr, declaration, signatories=adults(case))
    case_services.case_transition(acting_user=counsellor_gr, case=case, to=S.TRAVEL_PREPARATION)
    case.refresh_from_db()
    assert case.status == S.TRAVEL_PREPARATION
    assert case.tasks.get(kind="sign_declaration").status == "done"


def test_only_the_decision_that_stands_is_signed_off(counsellor_gr: User, supervisor_gr: User, case: Case) -> None:
    earlier = record(counsellor_gr, case, mode="detention", held_on=timezone.localdate() - dt.timedelta(days=7))
    later = record(counsellor_gr, case, mode="detention")
    with pytest.raises(ServiceError, match="later session"):
        services.session_sign_off(acting_user=supervisor_gr, session=earlier)
    assert services.session_sign_off(acting_user=supervisor_gr, session=later).signed_off_by == supervisor_gr
