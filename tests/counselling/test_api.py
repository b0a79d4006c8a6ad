"""Counselling over JSON: the same services, the same scoping, the one error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from tests.api.conftest import API, ApiClient
from tests.counselling.uploads import HTML_PAGE, pdf, png

pytestmark = pytest.mark.django_db
Api = Callable[[User], ApiClient]


def session_body(case: Case, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_on": timezone.localdate().isoformat(),
        "mode": "detention",
        "language": "ur",
        "interpretation": "cultural_mediator",
        "interpreter_name": "Nadia",
        "attendees": [m.pk for m in case.members.all()],
        "topics": ["rights", "return_process"],
        "questions": "Will I be arrested on arrival?",
        "outcome": "wants_to_return",
        "informed_decision": True,
        "next_steps": "Second session.",
    }
    body.update(overrides)
    return body


def adult_ids(case: Case) -> list[int]:
    return [m.pk for m in case.members.all() if m.relationship in ("principal", "spouse")]


def test_sessions_are_recorded_listed_and_signed_off(
    api_as: Api, counsellor_gr: User, supervisor_gr: User, case: Case
) -> None:
    created = api_as(counsellor_gr).post(f"/cases/{case.pk}/sessions", session_body(case))
    assert created.status_code == 201, created.json()
    session = created.json()
    assert session["in_detention"] is True
    assert session["counsellor"] == "counsellor.gr"
    assert session["topics"] == ["return_process", "rights"]
    assert session["signed_off_by"] is None

    listed = api_as(counsellor_gr).get(f"/cases/{case.pk}/sessions").json()
    assert [s["id"] for s in listed] == [session["id"]]

    signed = api_as(supervisor_gr).post(f"/cases/{case.pk}/sessions/{session['id']}/sign-off")
    assert signed.status_code == 200
    assert signed.json()["signed_off_by"] == "supervisor.gr"


def test_a_refused_session_says_why_field_by_field(api_as: Api, counsellor_gr: User, case: Case) -> None:
    response = api_as(counsellor_gr).post(
        f"/cases/{case.pk}/sessions", session_body(case, outcome="continue", language="xx")
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "The session was not saved: check the fields marked."
    assert set(body["fields"]) == {"informed_decision", "language"}


def test_attendees_of_another_case_are_refused(
    api_as: Api, counsellor_gr: User, case: Case, counsellor_ro: User, case_ro: Case
) -> None:
    stranger = case_ro.members.first().pk
    response = api_as(counsellor_gr).post(f"/cases/{case.pk}/sessions", session_body(case, attendees=[stranger]))
    assert response.status_code == 400
    assert response.json()["fields"] == {"attendees": ["Choose members of this case only."]}


def test_another_missions_case_is_404(api_as: Api, counsellor_ro: User, case: Case) -> None:
    client = api_as(counsellor_ro)
    assert client.get(f"/cases/{case.pk}/sessions").status_code == 404
    assert client.post(f"/cases/{case.pk}/sessions", session_body(case)).status_code == 404
    assert client.get(f"/cases/{case.pk}/declarations").status_code == 404


def test_a_movement_officer_may_not_record_or_sign_off(
    api_as: Api, movement_gr: User, counsellor_gr: User, case: Case
) -> None:
    assert api_as(movement_gr).post(f"/cases/{case.pk}/sessions", session_body(case)).status_code == 403
    session = api_as(counsellor_gr).post(f"/cases/{case.pk}/sessions", session_body(case)).json()
    response = api_as(counsellor_gr).post(f"/cases/{case.pk}/sessions/{session['id']}/sign-off")
    assert response.status_code == 403


def test_the_declaration_is_prepared_printed_and_its_scan_uploaded(
    api_as: Api, counsellor_gr: User, counsellor_ro: User, case: Case
) -> None:
    counsellor = api_as(counsellor_gr)
    counsellor.post(f"/cases/{case.pk}/sessions", session_body(case, mode="in_person"))
    created = counsellor.post(
        f"/cases/{case.pk}/declarations", {"language": "el", "consent_processing": True, "consent_sharing": False}
    )
    assert created.status_code == 201, created.json()
    declaration = created.json()
    assert declaration["signed"] is False
    assert declaration["scan_url"] is None

    printed = counsellor.client.get(declaration["pdf_url"], headers=counsellor._headers())
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF")

    scan_url = f"{API}/cases/{case.pk}/declarations/{declaration['id']}/scan"
    uploaded = counsellor.client.post(
        scan_url,
        {
            "file": _file(png(), "signed.pdf"),
            "signed_on": timezone.localdate().isoformat(),
            "signatories": adult_ids(case),
        },
        headers=counsellor._headers(),
    )
    assert uploaded.status_code == 200, uploaded.json()
    body = uploaded.json()
    assert body["signed"] is True
    assert body["scan_content_type"] == "image/png"
    assert sorted(body["signatories"]) == sorted(adult_ids(case))

    listed = counsellor.get(f"/cases/{case.pk}/declarations").json()
    assert listed[0]["scan_url"] == scan_url
    download = counsellor.client.get(scan_url, headers=counsellor._headers())
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == png()

    stranger = api_as(counsellor_ro)
    assert stranger.client.get(scan_url, headers=stranger._headers()).status_code == 404
    assert stranger.client.get(declaration["pdf_url"], headers=stranger._headers()).status_code == 404


def test_a_web_page_as_a_scan_is_refused(api_as: Api, counsellor_gr: User, case: Case) -> None:
    counsellor = api_as(counsellor_gr)
    counsellor.post(f"/cases/{case.pk}/sessions", session_body(case, mode="in_person"))
    declaration = counsellor.post(
        f"/cases/{case.pk}/declarations", {"language": "en", "consent_processing": True, "consent_sharing": True}
    ).json()
    response = counsellor.client.post(
        f"{API}/cases/{case.pk}/declarations/{declaration['id']}/scan",
        {
            "file": _file(HTML_PAGE, "signed.pdf"),
            "signed_on": timezone.localdate().isoformat(),
            "signatories": adult_ids(case),
        },
        headers=counsellor._headers(),
    )
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG" in response.json()["fields"]["file"][0]


def test_the_declaration_waits_for_an_informed_decision(api_as: Api, counsellor_gr: User, case: Case) -> None:
    response = api_as(counsellor_gr).post(
        f"/cases/{case.pk}/declarations", {"language": "en", "consent_processing": True, "consent_sharing": True}
    )
    assert response.status_code == 400
    assert "No counselling session records an informed decision to return." in response.json()["message"]


def _file(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_pdf_scan_is_kept_as_a_pdf(api_as: Api, counsellor_gr: User, case: Case) -> None:
    counsellor = api_as(counsellor_gr)
    counsellor.post(f"/cases/{case.pk}/sessions", session_body(case, mode="in_person"))
    declaration = counsellor.post(
        f"/cases/{case.pk}/declarations", {"language": "en", "consent_processing": True, "consent_sharing": True}
    ).json()
    response = counsellor.client.post(
        f"{API}/cases/{case.pk}/declarations/{declaration['id']}/scan",
        {
            "file": _file(pdf(), "scan.PDF"),
            "signed_on": timezone.localdate().isoformat(),
            "signatories": adult_ids(case),
        },
        headers=counsellor._headers(),
    )
    assert response.json()["scan_content_type"] == "application/pdf"
