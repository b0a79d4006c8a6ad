"""The Kobo/ODK round trip: our XLSForm, parsed by pyxform into an XForm; submissions shaped by that XForm
exported as Kobo does (CSV or JSON), previewed with row errors and imported all-or-nothing."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.surveys import kobo, services
from homeward.surveys.models import Instrument, Response

pytestmark = pytest.mark.django_db
XF = "{http://www.w3.org/2002/xforms}"


@dataclass
class XForm:
    """What a data collector's phone knows of our form: its id, its fields (path) and each select's choices."""

    form_id: str
    fields: list[str]  # "case_reference", "economic/debt", ...
    choices: dict[str, list[str]]  # field path: choice names

    def best_answers(self) -> dict[str, str]:
        return {path: names[0] for path, names in self.choices.items() if path != "kind"}


def parse_xform(xml: str) -> XForm:
    root = ET.fromstring(xml)  # noqa: S314 - our own form, produced in the test
    model = root.find(f".//{XF}model")
    assert model is not None
    instances = model.findall(f"{XF}instance")
    main = next(iter(instances[0]))
    lists = {inst.get("id"): [item.findtext(f"{XF}name") for item in inst.iter(f"{XF}item")] for inst in instances[1:]}
    fields = [b.get("nodeset", "").removeprefix("/data/") for b in model.findall(f"{XF}bind")]
    choices = {}
    for select in root.iter(f"{XF}select1"):
        itemset = select.find(f"{XF}itemset")
        assert itemset is not None
        list_id = itemset.get("nodeset", "").split("'")[1]
        choices[select.get("ref", "").removeprefix("/data/")] = lists[list_id]
    return XForm(main.get("id", ""), fields, choices)  # type: ignore[arg-type]


@pytest.fixture
def xform(rss: Instrument) -> XForm:
    warnings: list[str] = []
    result = convert(xlsform=kobo.xlsform(rss), warnings=warnings, file_type=".xlsx")
    assert warnings == []
    return parse_xform(result.xform)


def kobo_csv(rows: list[dict[str, str]]) -> bytes:
    """Kobo's CSV export: ";" separated, group/field headers, its own columns around the form's."""
    header = ["start", "end", *rows[0], "_id", "_uuid", "_submission_time"]
    out = io.StringIO()
    writer = csv.DictWriter(out, header, delimiter=";")
    writer.writeheader()
    for n, row in enumerate(rows, start=1):
        writer.writerow(row | {"start": "", "end": "", "_id": str(n), "_uuid": f"uuid-{n}",
                               "_submission_time": "2025-03-02T10:00:00"})  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def submission(xform: XForm, reference: str, **answers: str) -> dict[str, str]:
    row = {"case_reference": reference, "kind": "follow_up", "taken_on": "2025-03-01"}
    row |= xform.best_answers()
    for field, value in answers.items():
        path = next(p for p in xform.fields if p.endswith(field))
        row[path] = value
    return row


# ---------------------------------------------------------------- the XLSForm


def test_the_xlsform_parses_with_pyxform_and_asks_every_indicator(rss: Instrument, xform: XForm) -> None:
    assert xform.form_id == "homeward_rss_v1"
    indicators = rss.parsed.indicators()
    assert xform.fields[:3] == ["case_reference", "kind", "taken_on"]
    assert [f.split("/")[-1] for f in xform.fields if "/" in f and not f.startswith("meta")] == [
        i.code for i in indicators
    ]
    for indicator in indicators:
        path = next(p for p in xform.choices if p.endswith(f"/{indicator.code}"))
        assert xform.choices[path] == [o.code for o in indicator.options]  # dont_know and refuses included
    book = load_workbook(io.BytesIO(kobo.xlsform(rss)))
    assert book.sheetnames == ["survey", "choices", "settings"]


# ---------------------------------------------------------------- the round trip


def test_a_kobo_csv_export_imports_and_scores(rss: Instrument, xform: XForm, case: Case,
                                             reintegration_pk: User) -> None:  # fmt: skip
    rows = [submission(xform, case.reference), submission(xform, case.reference, debt="dont_know", safety="unsafe")]
    submissions = kobo.read_submissions(kobo_csv(rows))
    preview = kobo.preview(reintegration_pk, rss, submissions)
    assert [(r.number, r.case, r.errors) for r in preview] == [(1, case, []), (2, case, [])]
    imported = services.kobo_import(acting_user=reintegration_pk, instrument=rss, submissions=submissions)
    assert [(r.source, r.external_id, str(r.taken_on)) for r in imported] == [
        ("kobo", "uuid-1", "2025-03-01"), ("kobo", "uuid-2", "2025-03-01"),
    ]  # fmt: skip
    second = imported[1].scores.get()
    assert second.dimensions["economic"] == 1.0  # "does not know" is left out
    assert second.dimensions["psychosocial"] == pytest.approx(5 / 6)
    # The same export again: every row is already imported, and nothing is.
    again = kobo.preview(reintegration_pk, rss, submissions)
    assert [r.errors for r in again] == [["Already imported."], ["Already imported."]]
    with pytest.raises(ServiceError):
        services.kobo_import(acting_user=reintegration_pk, instrument=rss, submissions=submissions)
    assert Response.objects.count() == 2


def test_a_json_export_with_the_api_wrapper_is_read(rss: Instrument, xform: XForm, case: Case,
                                                    reintegration_pk: User) -> None:  # fmt: skip
    row = submission(xform, case.reference) | {"meta/instanceID": "uuid:abc", "_attachments": []}
    submissions = kobo.read_submissions(json.dumps({"count": 1, "results": [row]}).encode())
    assert submissions[0]["debt"] == "no_debt"
    assert submissions[0]["instanceID"] == "uuid:abc"
    imported = services.kobo_import(acting_user=reintegration_pk, instrument=rss, submissions=submissions)
    assert imported[0].external_id == "uuid:abc"


def test_row_errors_and_nothing_imported(rss: Instrument, xform: XForm, case: Case, case_ro: Case,
                                         reintegration_pk: User) -> None:  # fmt: skip
    rows = [
        submission(xform, case.reference),
        submission(xform, "GR-1999-99999"),
        submission(xform, case_ro.reference),  # exists, but not for this user: the same words
        submission(xform, case.reference, debt="a_little"),
        submission(xform, case.reference) | {"taken_on": "soon", "kind": "monthly"},
    ]
    submissions = kobo.read_submissions(kobo_csv(rows))
    preview = kobo.preview(reintegration_pk, rss, submissions)
    assert preview[0].errors == []
    assert preview[1].errors == ["Unknown case reference “GR-1999-99999”."]
    assert preview[2].errors == [f"Unknown case reference “{case_ro.reference}”."]
    assert preview[3].errors == ["The answer to debt is not one of its options."]
    assert preview[4].errors == ["The date of the interview is missing or not a date (YYYY-MM-DD)."]
    with pytest.raises(ServiceError, match="4 of 5 rows") as caught:
        services.kobo_import(acting_user=reintegration_pk, instrument=rss, submissions=submissions)
    assert set(caught.value.fields) == {"rows.2", "rows.3", "rows.4", "rows.5"}
    assert not Response.objects.exists()


def test_a_case_the_user_sees_but_may_not_survey(rss: Instrument, xform: XForm, case: Case, me_gr: User,
                                                counsellor_gr: User) -> None:  # fmt: skip
    submissions = kobo.read_submissions(kobo_csv([submission(xform, case.reference)]))
    with pytest.raises(PermissionDenied):
        services.kobo_import(acting_user=counsellor_gr, instrument=rss, submissions=submissions)
    assert kobo.preview(me_gr, rss, submissions)[0].errors == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\xff\xfe\x00", "UTF-8"), (b"[1, 2]", "not a list of submissions"), (b"{bad", "not valid JSON"),
     (b"case_reference;kind\n", "no submission"), (b"[" * 100_000 + b"]" * 100_000, "not a list of submissions"),
     (b"case_reference,kind\n" + b"x" * 200_000 + b",baseline\n", "not a readable CSV")],
)  # fmt: skip
def test_unreadable_exports_are_refused(content: bytes, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        kobo.read_submissions(content)


def test_a_submission_without_its_id_is_not_imported(rss: Instrument, xform: XForm, case: Case,
                                                     reintegration_pk: User) -> None:  # fmt: skip
    """Re-importing it could not be recognised, so the interview would count twice."""
    text = kobo_csv([submission(xform, case.reference)]).decode("utf-8-sig")
    submissions = kobo.read_submissions(text.encode())
    for row in submissions:
        for key in kobo.ID_COLUMNS:
            row.pop(key, None)
    with pytest.raises(ServiceError):
        services.kobo_import(acting_user=reintegration_pk, instrument=rss, submissions=submissions)
    assert not Response.objects.exists()
