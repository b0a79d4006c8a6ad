"""The survey pages: a case's surveys, the case card's chart, the instruments, the Kobo import."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.surveys import kobo
from homeward.surveys.models import Instrument, Response, SatisfactionResponse, WeightTable
from tests.surveys.conftest import best, client_for, record, worst
from tests.surveys.test_services import EQUAL, official

pytestmark = pytest.mark.django_db


def rss_post(instrument: Instrument, answers: dict[str, str], **extra: str) -> dict[str, str]:
    data = {"kind": "baseline", "taken_on": timezone.localdate().isoformat()}
    return data | {f"a_{code}": option for code, option in answers.items()} | extra


def test_the_surveys_page_records_an_rss_response(rss: Instrument, case: Case, reintegration_pk: User) -> None:
    client = client_for(reintegration_pk)
    page = client.get(f"/cases/{case.reference}/surveys/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio" name="a_') == sum(len(i.options) for i in rss.parsed.indicators())
    assert 'data-dimension="psychosocial"' in html
    response = client.post(f"/cases/{case.reference}/surveys/rss/", rss_post(rss, worst(rss)))
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.scores.get().composite == 0.0
    html = client.get(f"/cases/{case.reference}/surveys/").content.decode()
    assert f"Weighting: {EQUAL}" in html


def test_the_pages_queries_do_not_grow_with_the_responses(
    rss: Instrument, case: Case, reintegration_pk: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(reintegration_pk)
    record(reintegration_pk, case, rss)
    pages = (f"/cases/{case.reference}/surveys/", f"/cases/{case.reference}/")
    client.get(pages[0])  # the shipped files are loaded on first use
    counts = []
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        counts.append(len(queries.captured_queries))
    for _ in range(3):
        record(reintegration_pk, case, rss, kind="follow_up")
    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(page)


def test_a_bad_answer_is_shown_on_its_indicator(rss: Instrument, case: Case, reintegration_pk: User) -> None:
    answers = best(rss)
    del answers["debt"]
    response = client_for(reintegration_pk).post(f"/cases/{case.reference}/surveys/rss/",
                                                  rss_post(rss, answers | {"safety": "very"}))  # fmt: skip
    assert response.status_code == 400
    form = response.context["rss_form"]
    assert set(form.errors) == {"a_debt", "a_safety"}
    assert not Response.objects.exists()


def test_the_surveys_page_records_a_satisfaction_response(case: Case, reintegration_pk: User) -> None:
    client = client_for(reintegration_pk)
    page = client.get(f"/cases/{case.reference}/surveys/?questionnaire=travel")
    assert "Satisfaction with the travel arrangements" in page.content.decode()
    response = client.post(f"/cases/{case.reference}/surveys/satisfaction/travel/",
                           {"taken_on": timezone.localdate().isoformat(), "q_overall": "2", "q_improve": "Earlier."})  # fmt: skip
    assert response.status_code == 302
    saved = SatisfactionResponse.objects.get()
    assert (saved.questionnaire.code, saved.overall, saved.answers["improve"]) == ("travel", 2, "Earlier.")
    missing = client.post(f"/cases/{case.reference}/surveys/satisfaction/travel/",
                          {"taken_on": timezone.localdate().isoformat()})  # fmt: skip
    assert missing.status_code == 400


def test_who_sees_and_who_records(rss: Instrument, case: Case, counsellor_gr: User, counsellor_ro: User,
                                  viewer: User) -> None:  # fmt: skip
    for user in (counsellor_ro, viewer):
        assert client_for(user).get(f"/cases/{case.reference}/surveys/").status_code == 404
    client = client_for(counsellor_gr)
    page = client.get(f"/cases/{case.reference}/surveys/")
    assert page.status_code == 200
    assert page.context["rss_form"] is None
    assert client.post(f"/cases/{case.reference}/surveys/rss/", rss_post(rss, best(rss))).status_code == 403
    assert client_for(counsellor_ro).post(f"/cases/{case.reference}/surveys/rss/", {}).status_code == 404


def test_the_case_card_draws_each_dimension_over_time(rss: Instrument, case: Case, reintegration_pk: User,
                                                      admin_gr: User) -> None:  # fmt: skip
    today = timezone.localdate()
    record(reintegration_pk, case, rss, worst(rss), taken_on=today - dt.timedelta(days=90))
    record(reintegration_pk, case, rss, best(rss) | {"employment": "none"}, kind="follow_up", taken_on=today)
    html = client_for(reintegration_pk).get(f"/cases/{case.reference}/").content.decode()
    card = html[html.index('id="surveys"') :]
    card = card[: card.index("</section>")]
    assert card.count("<svg") == 3
    assert card.count("<polyline") == 3
    assert f"weighting: {EQUAL}" in card
    assert re.search(r"Economic self-sufficiency: <strong>0\.80</strong> \(high\)", card)
    assert "https://" not in card
    assert "<script" not in card
    # Scored under another table, the earlier responses are not drawn with the later ones.
    import homeward.surveys.services as services

    services.survey_load(acting_user=admin_gr, data=official())
    record(reintegration_pk, case, rss, best(rss), kind="follow_up", taken_on=today)
    html = client_for(reintegration_pk).get(f"/cases/{case.reference}/").content.decode()
    assert "weighting: Official 2025" in html
    assert "2 earlier responses were scored with another weighting" in html


def test_instruments_page_and_xlsform_download(rss: Instrument, me_gr: User) -> None:
    client = client_for(me_gr)
    page = client.get("/surveys/instruments/")
    assert page.status_code == 200
    assert EQUAL in page.content.decode()
    assert page.context["form"] is None
    download = client.get(f"/surveys/instruments/{rss.pk}/xlsform/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="homeward_rss_v1.xlsx"'
    assert download.content[:2] == b"PK"
    assert client.get("/surveys/instruments/999/xlsform/").status_code == 404


def test_an_administrator_loads_a_weight_table_from_a_file(rss: Instrument, admin_gr: User, me_gr: User) -> None:
    def upload(data: object) -> SimpleUploadedFile:
        return SimpleUploadedFile("weights.yaml", yaml.safe_dump(data).encode(), content_type="application/yaml")

    assert client_for(me_gr).post("/surveys/instruments/weights/", {"file": upload(official())}).status_code == 403
    client = client_for(admin_gr)
    bad = official()
    bad["weight_table"]["dimensions"]["social"]["weights"]["housing"] = 0.5  # type: ignore[index]
    response = client.post("/surveys/instruments/weights/", {"file": upload(bad)})
    assert response.status_code == 400
    assert "sum to" in response.content.decode()
    assert client.post("/surveys/instruments/weights/", {"file": upload(official())}).status_code == 302
    assert WeightTable.objects.get(is_default=True).name == "Official 2025"
    assert client.post(f"/surveys/instruments/{rss.pk}/status/", {"status": "retired"}).status_code == 302
    assert Instrument.objects.get(pk=rss.pk).status == "retired"


def test_the_kobo_import_previews_then_imports(rss: Instrument, case: Case, reintegration_pk: User,
                                               counsellor_gr: User) -> None:  # fmt: skip
    header = ["case_reference", "kind", "taken_on", *(f"g/{code}" for code in best(rss)), "_uuid"]
    good = [case.reference, "baseline", "2025-02-01", *best(rss).values(), "u-1"]
    bad = ["XX-0000", "baseline", "2025-02-01", *best(rss).values(), "u-2"]

    def export(*rows: list[str]) -> SimpleUploadedFile:
        text = "\n".join(",".join(r) for r in (header, *rows))
        return SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")

    assert client_for(counsellor_gr).get("/surveys/import/").status_code == 403
    client = client_for(reintegration_pk)
    assert client.get("/surveys/import/").status_code == 200
    preview = client.post("/surveys/import/", {"instrument": rss.pk, "file": export(good, bad)})
    html = preview.content.decode()
    assert "Unknown case reference “XX-0000”." in html
    assert 'name="token"' not in html
    preview = client.post("/surveys/import/", {"instrument": rss.pk, "file": export(good)})
    token = preview.context["token"]
    assert client.post("/surveys/import/confirm/", {"token": token}).status_code == 302
    assert Response.objects.get().external_id == "u-1"
    assert client.post("/surveys/import/confirm/", {"token": token + "x"}).status_code == 302
    assert Response.objects.count() == 1
    assert kobo.form_id(rss) == "homeward_rss_v1"
