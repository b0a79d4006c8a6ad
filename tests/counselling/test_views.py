"""The counselling and declaration pages: who sees what, forms that save through the services, safe files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.counselling import services
from homeward.counselling.models import Declaration, Session
from tests.counselling.uploads import HTML_PAGE, png

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_data(case: Case, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": timezone.localdate().isoformat(),
        "mode": "in_person",
        "language": "ur",
        "interpretation": "interpreter",
        "interpreter_name": "Bilal Ahmed",
        "attendees": [m.pk for m in case.members.all()],
        "topics": ["return_process", "family"],
        "questions": "What happens on arrival?",
        "outcome": "wants_to_return",
        "informed_decision": "on",
        "next_steps": "Declaration next week.",
    }
    data.update(overrides)
    return data


def decided(user: User, case: Case, mode: str = "in_person") -> Session:
    return services.session_record(
        acting_user=user, case=case, held_on=timezone.localdate(), mode=mode, language="ur",
        attendees=list(case.members.all()), topics=["return_process"], outcome="wants_to_return",
        informed_decision=True,
    )  # fmt: skip


def prepared(user: User, case: Case) -> Declaration:
    decided(user, case)
    return services.declaration_generate(
        acting_user=user, case=case, language="el", consent_processing=True, consent_sharing=True
    )


def adult_ids(case: Case) -> list[int]:
    return [m.pk for m in case.members.all() if m.relationship in ("principal", "spouse")]


# ---------------------------------------------------------------- sessions page


def test_a_counsellor_records_a_session_on_the_page(counsellor_gr: User, case: Case) -> None:
    url = reverse("counselling:sessions", args=[case.reference])
    page = client_for(counsellor_gr).get(url)
    assert page.status_code == 200
    assert 'id="record"' in page.content.decode()
    response = client_for(counsellor_gr).post(url, session_data(case))
    assert response.status_code == 302
    session = case.sessions.get()
    assert session.informed_decision
    assert session.topics == ["return_process", "family"]
    body = client_for(counsellor_gr).get(url).content.decode()
    assert "Informed decision to return recorded on" in body
    assert "What happens on arrival?" in body
    assert "reintegration options" not in body.split('id="sessions"')[1].split("</table>")[0]


def test_a_refused_session_shows_the_errors_and_saves_nothing(counsellor_gr: User, case: Case) -> None:
    url = reverse("counselling:sessions", args=[case.reference])
    response = client_for(counsellor_gr).post(url, session_data(case, outcome="continue"))
    assert response.status_code == 200
    assert "An informed decision is recorded only when the migrant decided to return." in response.content.decode()
    assert not case.sessions.exists()


def test_the_page_is_404_for_a_counsellor_of_another_mission(counsellor_ro: User, case: Case) -> None:
    url = reverse("counselling:sessions", args=[case.reference])
    assert client_for(counsellor_ro).get(url).status_code == 404
    assert client_for(counsellor_ro).post(url, session_data(case)).status_code == 404


def test_a_finance_officer_reads_but_cannot_record(finance_gr: User, case: Case) -> None:
    url = reverse("counselling:sessions", args=[case.reference])
    page = client_for(finance_gr).get(url)
    assert page.status_code == 200
    assert 'id="record"' not in page.content.decode()
    assert client_for(finance_gr).post(url, session_data(case)).status_code == 403
    assert not case.sessions.exists()


def test_detention_is_flagged_with_the_stricter_rule(counsellor_gr: User, supervisor_gr: User, case: Case) -> None:
    session = decided(counsellor_gr, case, mode="detention")
    url = reverse("counselling:sessions", args=[case.reference])
    body = client_for(supervisor_gr).get(url).content.decode()
    assert "detention-flag" in body
    assert "at least two sessions and a supervisor's sign-off" in body
    assert "1 session held of the 2 needed." in body
    assert "A case supervisor has not signed off the decision yet." in body
    # The supervisor signs off from the page; the counsellor gets no button for it.
    assert "Sign off: the decision is voluntary" not in client_for(counsellor_gr).get(url).content.decode()
    response = client_for(supervisor_gr).post(reverse("counselling:sign_off", args=[case.reference, session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.signed_off_by == supervisor_gr
    assert "Signed off by" in client_for(counsellor_gr).get(url).content.decode()


def test_a_counsellor_posting_a_sign_off_is_refused(counsellor_gr: User, case: Case) -> None:
    session = decided(counsellor_gr, case, mode="detention")
    response = client_for(counsellor_gr).post(reverse("counselling:sign_off", args=[case.reference, session.pk]))
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.signed_off_by is None


def test_a_session_of_another_case_is_404(
    counsellor_gr: User, case: Case, counsellor_ro: User, case_ro: Case, supervisor_gr: User
) -> None:
    other = decided(counsellor_ro, case_ro)
    response = client_for(supervisor_gr).post(reverse("counselling:sign_off", args=[case.reference, other.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- declarations page


def test_the_declaration_is_prepared_downloaded_and_its_scan_uploaded(
    counsellor_gr: User, case: Case, private_files: Path
) -> None:
    decided(counsellor_gr, case)
    client = client_for(counsellor_gr)
    url = reverse("counselling:declarations", args=[case.reference])
    response = client.post(url, {"language": "el", "consent_processing": "on", "consent_sharing": "on"})
    assert response.status_code == 302
    declaration = case.declarations.get()
    assert declaration.language == "el"

    pdf = client.get(reverse("counselling:declaration_pdf", args=[case.reference, declaration.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF")

    upload_url = reverse("counselling:scan_upload", args=[case.reference, declaration.pk])
    with (private_files.parent / "signed.pdf").open("wb") as f:
        f.write(png())
    with (private_files.parent / "signed.pdf").open("rb") as f:
        response = client.post(
            upload_url, {"file": f, "signed_on": timezone.localdate().isoformat(), "signatories": adult_ids(case)}
        )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.is_signed
    assert declaration.scan_content_type == "image/png"
    body = client.get(url).content.decode()
    assert reverse("counselling:scan", args=[case.reference, declaration.pk]) in body
    assert str(private_files) not in body
    assert declaration.scan.name not in body


def test_an_html_file_is_refused_on_the_page(counsellor_gr: User, case: Case, tmp_path: Path) -> None:
    declaration = prepared(counsellor_gr, case)
    page = tmp_path / "signed.pdf"
    page.write_bytes(HTML_PAGE)
    with page.open("rb") as f:
        response = client_for(counsellor_gr).post(
            reverse("counselling:scan_upload", args=[case.reference, declaration.pk]),
            {"file": f, "signed_on": timezone.localdate().isoformat(), "signatories": adult_ids(case)},
        )
    assert response.status_code == 200
    assert "Only PDF, JPEG or PNG files can be uploaded" in response.content.decode()
    declaration.refresh_from_db()
    assert not declaration.scan


@pytest.fixture
def signed(counsellor_gr: User, case: Case) -> Declaration:
    from tests.counselling.uploads import upload

    declaration = prepared(counsellor_gr, case)
    return services.declaration_upload_scan(
        acting_user=counsellor_gr,
        declaration=declaration,
        file=upload(png(), "signed.pdf"),
        signed_on=timezone.localdate(),
        signatories=[m for m in case.members.all() if m.relationship in ("principal", "spouse")],
    )


def test_the_scan_is_served_as_a_private_attachment(counsellor_gr: User, signed: Declaration) -> None:
    response = client_for(counsellor_gr).get(reverse("counselling:scan", args=[signed.case.reference, signed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="declaration-{signed.case.reference}-signed.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == png()


def test_the_scan_is_not_reachable_for_a_counsellor_of_another_mission(
    counsellor_ro: User, signed: Declaration
) -> None:
    client = client_for(counsellor_ro)
    reference = signed.case.reference
    assert client.get(reverse("counselling:scan", args=[reference, signed.pk])).status_code == 404
    assert client.get(reverse("counselling:declaration_pdf", args=[reference, signed.pk])).status_code == 404
    assert client.get(reverse("counselling:declarations", args=[reference])).status_code == 404


def test_the_scan_is_not_reachable_through_another_case(
    counsellor_ro: User, case_ro: Case, signed: Declaration
) -> None:
    url = reverse("counselling:scan", args=[case_ro.reference, signed.pk])
    assert client_for(counsellor_ro).get(url).status_code == 404


def test_anonymous_visitors_get_no_scan(client: Client, signed: Declaration) -> None:
    response = client.get(reverse("counselling:scan", args=[signed.case.reference, signed.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_movement_officer_cannot_prepare_or_upload(movement_gr: User, counsellor_gr: User, case: Case) -> None:
    declaration = prepared(counsellor_gr, case)
    client = client_for(movement_gr)
    assert client.get(reverse("counselling:declarations", args=[case.reference])).status_code == 200
    response = client.post(
        reverse("counselling:declarations", args=[case.reference]), {"language": "en", "consent_processing": "on"}
    )
    assert response.status_code == 403
    response = client.post(reverse("counselling:scan_upload", args=[case.reference, declaration.pk]), {})
    assert response.status_code == 403


# ---------------------------------------------------------------- the case page's panel


def panel(user: User, case: Case) -> str:
    """The panel as the case page renders it, for ``user``."""
    request = RequestFactory().get(reverse("cases:detail", args=[case.reference]))
    request.user = user
    template = Template("{% load counselling_panels %}{% counselling_panel case %}")
    return template.render(RequestContext(request, {"case": case}))


def test_the_panel_shows_sessions_decision_and_the_signed_declaration(counsellor_gr: User, signed: Declaration) -> None:
    case = signed.case
    html = panel(counsellor_gr, case)
    assert 'id="counselling-sessions">1<' in html
    assert "decided to return, recorded on" in html
    assert 'text-bg-success">signed<' in html
    assert reverse("counselling:scan", args=[case.reference, signed.pk]) in html
    assert reverse("counselling:declaration_pdf", args=[case.reference, signed.pk]) in html


def test_the_panel_of_an_unsigned_declaration_in_detention(
    counsellor_gr: User, supervisor_gr: User, case: Case
) -> None:
    session = decided(counsellor_gr, case, mode="detention")
    decided(counsellor_gr, case, mode="detention")
    html = panel(counsellor_gr, case)
    assert "detention-flag" in html
    assert "2 sessions held of the 2 needed." in html
    assert "not prepared yet" in html
    services.session_sign_off(acting_user=supervisor_gr, session=case.sessions.last())
    assert session.pk != case.sessions.last().pk
    assert "Signed off by" in panel(counsellor_gr, case)


def test_the_panel_of_a_case_without_counselling(counsellor_gr: User, case_gr: Case) -> None:
    html = panel(counsellor_gr, case_gr)
    assert 'id="counselling-sessions">0<' in html
    assert "not prepared yet" in html
    assert "detention-flag" not in html


def test_the_case_page_shows_the_counselling_panel(counsellor_gr: User, signed: Declaration) -> None:
    case = signed.case
    body = client_for(counsellor_gr).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'id="counselling-sessions">1<' in body.split('id="counselling"')[1]


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_pages_do_not_query_per_session_or_declaration(counsellor_gr: User, case: Case) -> None:
    client = client_for(counsellor_gr)
    sessions = reverse("counselling:sessions", args=[case.reference])
    declarations = reverse("counselling:declarations", args=[case.reference])
    prepared(counsellor_gr, case)
    few = (_queries(client, sessions), _queries(client, declarations))
    for _ in range(3):
        prepared(counsellor_gr, case)
    assert (_queries(client, sessions), _queries(client, declarations)) == few
