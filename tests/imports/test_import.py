"""Importing a tracker: families with their members, partial dates and vulnerabilities; every bad
row named with its spreadsheet row; probable duplicates flagged; all or nothing."""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus, Relationship
from homeward.core.dates import DatePrecision
from homeward.core.errors import ServiceError
from homeward.imports import checking, services
from homeward.imports.mapping import guess
from homeward.imports.models import ImportedCase
from homeward.people.models import Person
from homeward.programmes.models import Programme
from tests import journey
from tests.imports.conftest import GOOD_ROWS, csv_bytes, refusal, run, upload, xlsx

pytestmark = pytest.mark.django_db


def _rows(**changes: Any) -> list[list[Any]]:
    """The good tracker with cells changed: ``r3_nationality="Narnia"`` is spreadsheet row 3's Nationality."""
    rows = copy.deepcopy(GOOD_ROWS)
    columns = {"relationship": 2, "given": 3, "family": 4, "dob": 6, "nationality": 7, "phone": 10, "vuln": 12}
    for key, value in changes.items():
        row, column = key.split("_", 1)
        rows[int(row[1:]) - 2][columns[column]] = value
    return rows


def _nothing_imported() -> None:
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_good_tracker_imports_families_with_their_members_dates_and_vulnerabilities(
    counsellor_gr: User, gr: Mission, pk: Mission
) -> None:
    programme = journey.programme()
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS), programme=programme)
    outcome = run(counsellor_gr, up)
    assert outcome.message.startswith("Imported 3 cases with 6 people from 6 rows.")

    imported = {i.reference: i for i in ImportedCase.objects.select_related("case")}
    assert {ref: i.rows for ref, i in imported.items()} == {"T-1": "2–4", "T-2": "5–6", "T-3": "7"}
    qureshi = imported["T-1"].case
    assert (qureshi.host_mission, qureshi.programme, qureshi.destination_country.code) == (gr, programme, "PK")
    assert (qureshi.status, qureshi.registered_on, qureshi.inquiry_date) == (
        CaseStatus.REGISTERED, dt.date(2024, 1, 15), dt.date(2024, 1, 15),
    )  # fmt: skip
    members = {m.person.given_names: m for m in qureshi.members.select_related("person")}
    assert {name: m.relationship for name, m in members.items()} == {
        "Imran": Relationship.PRINCIPAL, "Ayesha": Relationship.SPOUSE, "Ali": Relationship.CHILD,
    }  # fmt: skip
    births = {name: (m.person.birth_date, m.person.birth_date_precision) for name, m in members.items()}
    assert births == {
        "Imran": (dt.date(1985, 3, 14), DatePrecision.EXACT),
        "Ayesha": (dt.date(1988, 1, 1), DatePrecision.YEAR),
        "Ali": (dt.date(2015, 6, 1), DatePrecision.MONTH),
    }
    vulnerabilities = {n: sorted(v.type.code for v in m.person.vulnerabilities.all()) for n, m in members.items()}
    assert vulnerabilities == {"Imran": [], "Ayesha": ["pregnant"], "Ali": ["disability", "health_needs"]}
    imran = members["Imran"].person
    assert (imran.phone, imran.documents.get().number, imran.documents.get().kind) == (
        "+923001234567", "AB1234567", "passport",
    )  # fmt: skip

    diallo = imported["T-2"].case
    assert (diallo.destination_country.code, diallo.destination_place, diallo.status) == ("SN", "Dakar", "inquiry")
    beridze = imported["T-3"].case.members.get().person
    assert (beridze.birth_date, beridze.birth_date_precision) == (dt.date(1979, 1, 1), DatePrecision.ESTIMATED)
    # Through the registration service: audited, by the person who imported.
    assert LogEntry.objects.get_for_object(qureshi).filter(action=LogEntry.Action.CREATE).get().actor == counsellor_gr
    up.refresh_from_db()
    assert up.imported_at is not None


def test_the_dry_run_imports_nothing_and_says_what_would_be(counsellor_gr: User, gr: Mission) -> None:
    outcome = run(counsellor_gr, upload(counsellor_gr, gr, xlsx(GOOD_ROWS)), dry_run=True)
    assert outcome.message == "Dry run: 6 rows, 3 cases with 6 people would be imported."
    _nothing_imported()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"r3_nationality": "Narnia"},
         "Row 3 · Nationality: “Narnia” is not a country we know: use its English name or ISO code."),
        ({"r2_dob": "31/02/1985"}, "Row 2 · Date of birth: “31/02/1985” is not a date: 2/1985 has no day 31."),
        ({"r2_dob": "01/03/1985", "r6_dob": "3.4.2019"},
         "Row 2 · Date of birth: “01/03/1985” could be read two ways (day/month or month/day): "
         "choose the date order in the mapping."),
        ({"r5_relationship": "spouse"},
         "Row 5 · Relationship: The family in rows 5–6 has no principal applicant: mark one member as principal."),
        ({"r3_relationship": "PA"},
         "Row 3 · Relationship: The family in rows 2–4 has two principal applicants (rows 2 and 3): a case has one."),
        ({"r4_relationship": ""}, "Row 4 · Relationship: Give the relationship to the principal applicant."),
        ({"r4_dob": "1970"},
         "Row 4 · Date of birth: A child cannot be older than the principal applicant, its parent."),
        ({"r2_phone": "12"}, "Row 2 · Phone: “12” is not a valid phone number."),
        ({"r6_given": ""}, "Row 6 · First name: Give the given names, in Latin letters or in the original script."),
        ({"r3_vuln": "pregnant, dragons"}, "Row 3 · Vulnerabilities: Unknown vulnerability: dragons."),
        ({"r2_vuln": "unaccompanied child"},
         "Row 2 · Vulnerabilities: “unaccompanied or separated child” applies only to a person under 18."),
    ],
)  # fmt: skip
def test_each_bad_row_is_named_with_its_row_and_nothing_is_imported(
    counsellor_gr: User, gr: Mission, changes: dict[str, str], problem: str
) -> None:
    up = upload(counsellor_gr, gr, xlsx(_rows(**changes)))
    problems = refusal(counsellor_gr, up)
    assert any(p.startswith(problem) for p in problems), problems
    with pytest.raises(services.ImportRefused) as caught:
        run(counsellor_gr, up)
    assert caught.value.message.startswith("Nothing was imported: ")
    assert problem in caught.value.message
    _nothing_imported()


def test_a_refusal_by_the_registration_itself_undoes_the_cases_already_written(
    counsellor_gr: User, gr: Mission
) -> None:
    """All or nothing even past the check: the third case fails in case_register, the first two are rolled back."""
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    sheet = services.read_upload(up)
    plan = checking.check(sheet, checking.Options(guess(sheet.headers)), mission=gr, user=counsellor_gr)
    assert not plan.errors
    plan.cases[2].data.referral_source = "carrier pigeon"
    with pytest.raises(services.ImportRefused) as caught:
        services.tracker_import(acting_user=counsellor_gr, upload=up, plan=plan, progress=checking.NoProgress())
    assert {p.row for p in caught.value.problems} == {7}
    assert str(caught.value.problems[0]) == "Row 7 · referral source: Choose a referral source from the list."
    _nothing_imported()
    assert ImportedCase.objects.count() == 0


def test_a_probable_duplicate_of_a_person_already_recorded_is_flagged(
    counsellor_gr: User, gr: Mission, case_gr: Case
) -> None:
    """case_gr holds Imran Khan, born 14 March 1985, of Pakistan: the same name a year off is probably him."""
    up = upload(counsellor_gr, gr, xlsx(_rows(r2_given="IMRAN", r2_family="Khán", r2_dob="1986")))
    problems = refusal(counsellor_gr, up)
    assert problems == [
        f"Row 2 · First name: Probably already recorded, in case {case_gr.reference} "
        "(99 %: same names after transliteration, birth year differs by one, same nationality, same phone)."
    ]
    assert Case.objects.count() == 1

    outcome = run(counsellor_gr, up, allow_duplicates=True)
    assert len(outcome.cases) == 3
    assert f"Probably already recorded, in case {case_gr.reference}" in outcome.message


def test_two_years_apart_or_another_nationality_is_not_a_duplicate(
    counsellor_gr: User, gr: Mission, case_gr: Case
) -> None:
    # The same name with the same full date of birth is flagged even with another nationality (a typing
    # slip is likelier than a namesake born the same day); another year as well clears it.
    for changes in ({"r2_dob": "1983"}, {"r2_nationality": "India", "r2_dob": "1990"}):
        rows = _rows(r2_family="Khan", r2_phone="", **changes)
        assert len(run(counsellor_gr, upload(counsellor_gr, gr, xlsx(rows)), dry_run=True).plan.cases) == 3


def test_a_duplicate_in_a_case_the_importer_may_not_see_names_only_its_mission_and_whom_to_ask(
    counsellor_ro: User, ro: Mission, case_gr: Case, supervisor_gr: User
) -> None:
    rows = _rows(r2_family="Khan")
    problems = refusal(counsellor_ro, upload(counsellor_ro, ro, xlsx(rows)))
    assert problems == [
        "Row 2 · First name: Probably already recorded, in a case of GR you may not open: "
        f"ask {supervisor_gr.get_full_name()}."
    ]
    assert case_gr.reference not in str(problems)


def test_the_same_person_twice_in_one_file_is_flagged(counsellor_gr: User, gr: Mission) -> None:
    rows = [*GOOD_ROWS, ["T-9", "", "", "Giorgi", "Beridze", "M", "1980", "GE", "", "", "", "", "", ""]]
    problems = refusal(counsellor_gr, upload(counsellor_gr, gr, xlsx(rows)))
    assert problems == ["Row 8 · First name: Probably the same person as in row 7."]


def test_merged_family_cells_are_filled_down_and_the_family_imported(counsellor_gr: User, gr: Mission) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Family", "Relationship", "First name", "Last name", "Year of birth", "Nationality"])
    for row in (["F1", "PA", "Imran", "Qureshi", 1985, "PK"], [None, "wife", "Ayesha", "Qureshi", 1988, "PK"]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    out = io.BytesIO()
    book.save(out)
    outcome = run(counsellor_gr, upload(counsellor_gr, gr, out.getvalue()))
    assert [c.members.count() for c in outcome.cases] == [2]
    assert "Merged cells in rows 2–3 (A2:A3): the value “F1” was filled into each row." in outcome.message


def test_a_formula_without_a_saved_value_stops_the_import_at_its_row(counsellor_gr: User, gr: Mission) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["First name", "Last name", "Year of birth", "Nationality"])
    ws.append(["Imran", "Qureshi", "=1980+5", "PK"])
    out = io.BytesIO()
    book.save(out)
    problems = refusal(counsellor_gr, upload(counsellor_gr, gr, out.getvalue()))
    assert problems == [
        "Row 2: Row 2, cell C2: the formula =1980+5 has no value saved with it. "
        "Open the file in Excel and save it again, or type the value."
    ]


def test_excel_date_cells_and_serial_numbers_are_dates(counsellor_gr: User, gr: Mission) -> None:
    rows = _rows(r2_dob=dt.datetime(1985, 3, 14), r3_dob=32231, r4_dob="2015-06")
    plan = run(counsellor_gr, upload(counsellor_gr, gr, xlsx(rows)), dry_run=True).plan
    births = [(m.person.birth_date.value, m.person.birth_date.precision) for m in plan.cases[0].members]
    assert births == [
        (dt.date(1985, 3, 14), "exact"), (dt.date(1988, 3, 29), "exact"), (dt.date(2015, 6, 1), "month"),
    ]  # fmt: skip


def test_a_cp1252_csv_with_semicolons_imports(counsellor_gr: User, gr: Mission) -> None:
    rows = _rows(r2_given="José")
    outcome = run(
        counsellor_gr, upload(counsellor_gr, gr, csv_bytes(rows, delimiter=";", encoding="cp1252"), name="t.csv")
    )
    assert Person.objects.filter(given_names="José").exists()
    assert len(outcome.cases) == 3


def test_the_mapping_must_name_the_given_names_column(counsellor_gr: User, gr: Mission) -> None:
    with pytest.raises(services.ServiceError, match="Choose the column that holds the given names"):
        run(
            counsellor_gr,
            upload(counsellor_gr, gr, xlsx(GOOD_ROWS)),
            dry_run=True,
            columns={"Last name": "family_name"},
        )


def test_only_someone_who_registers_cases_in_the_mission_uploads_and_only_with_its_programme(
    counsellor_gr: User, viewer: User, gr: Mission, ro: Mission
) -> None:
    with pytest.raises(PermissionDenied):
        upload(viewer, gr, xlsx(GOOD_ROWS))
    with pytest.raises(PermissionDenied):
        upload(counsellor_gr, ro, xlsx(GOOD_ROWS))
    other = Programme.objects.create(
        code="RO/X", name="x", donor="x", currency="EUR", start="2024-01-01", end="2030-01-01"
    )
    other.missions.add(ro)
    with pytest.raises(services.ServiceError, match="GR does not implement RO/X"):
        upload(counsellor_gr, gr, xlsx(GOOD_ROWS), programme=other)


def test_a_file_already_imported_is_not_imported_again(counsellor_gr: User, gr: Mission) -> None:
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    run(counsellor_gr, up)
    cases = Case.objects.count()
    up.refresh_from_db()
    with pytest.raises(ServiceError, match="already been imported"):
        run(counsellor_gr, up, allow_duplicates=True)
    assert Case.objects.count() == cases
