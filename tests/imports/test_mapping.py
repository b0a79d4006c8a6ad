"""Column guessing, saved mappings, and reading the values of cells: words, countries, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.core.dates import DatePrecision
from homeward.imports import mapping, selectors, services
from homeward.imports.mapping import DateOrder, read_country, read_date


def test_headers_in_english_greek_and_romanian_are_recognised() -> None:
    assert mapping.guess(["Case no.", "First name", "SURNAME", "Date of birth (dd/mm/yyyy)", "Nationality"]) == {
        "Case no.": "reference",
        "First name": "given_names",
        "SURNAME": "family_name",
        "Date of birth (dd/mm/yyyy)": "birth_date",
        "Nationality": "nationality",
    }
    assert mapping.guess(["Όνομα", "Επώνυμο", "Ημερομηνία γέννησης", "Υπηκοότητα", "Σχέση"]) == {
        "Όνομα": "given_names",
        "Επώνυμο": "family_name",
        "Ημερομηνία γέννησης": "birth_date",
        "Υπηκοότητα": "nationality",
        "Σχέση": "relationship",
    }
    assert mapping.guess(["Prenume", "Nume", "Data nașterii", "Cetățenie", "Țara de destinație"]) == {
        "Prenume": "given_names",
        "Nume": "family_name",
        "Data nașterii": "birth_date",
        "Cetățenie": "nationality",
        "Țara de destinație": "destination_country",
    }


def test_a_field_goes_to_one_column_and_a_saved_mapping_wins_over_the_guess() -> None:
    assert mapping.guess(["Name", "First name"]) == {"Name": "given_names"}
    saved = {"Name": "family_name", "Remarks": ""}
    assert mapping.guess(["Name", "First name", "Remarks"], saved) == {
        "Name": "family_name",
        "First name": "given_names",
    }


@pytest.mark.django_db
def test_a_mapping_is_saved_under_a_name_and_saving_the_name_again_replaces_it(
    counsellor_gr: User, gr: Mission
) -> None:
    first = services.mapping_save(acting_user=counsellor_gr, mission=gr, name="GR tracker",
                                  columns={"Name": "given_names", "Skip": ""}, date_order=DateOrder.DMY)  # fmt: skip
    assert first.columns == {"Name": "given_names"}
    again = services.mapping_save(acting_user=counsellor_gr, mission=gr, name="GR tracker ",
                                  columns={"Prenume": "given_names"}, date_order=DateOrder.AUTO)  # fmt: skip
    assert again.pk == first.pk
    assert (again.columns, again.date_order, again.created_by) == ({"Prenume": "given_names"}, "auto", counsellor_gr)
    assert selectors.mapping_named(counsellor_gr, gr, "GR tracker") == again


@pytest.mark.django_db
def test_a_mapping_naming_a_field_twice_or_an_unknown_field_is_refused(counsellor_gr: User, gr: Mission) -> None:
    with pytest.raises(services.ServiceError) as caught:
        services.mapping_save(acting_user=counsellor_gr, mission=gr, name="x",
                              columns={"A": "given_names", "B": "given_names", "C": "shoe_size"}, date_order="auto")  # fmt: skip
    assert "shoe_size" in caught.value.fields["columns"][0] or "given_names" in caught.value.fields["columns"][0]


@pytest.mark.django_db
def test_a_user_of_another_mission_cannot_see_save_or_use_its_mappings(
    counsellor_gr: User, counsellor_ro: User, gr: Mission
) -> None:
    saved = services.mapping_save(acting_user=counsellor_gr, mission=gr, name="GR tracker",
                                  columns={"Name": "given_names"}, date_order="auto")  # fmt: skip
    assert selectors.mapping_named(counsellor_ro, gr, "GR tracker") is None
    assert list(selectors.mappings_for(counsellor_ro)) == []
    with pytest.raises(PermissionDenied):
        services.mapping_save(acting_user=counsellor_ro, mission=gr, name="GR tracker", columns={}, date_order="auto")
    assert selectors.mapping_for(counsellor_gr, saved.pk) == saved


@pytest.mark.parametrize("value", ["Pakistan", "PK", "PAK", "pakistan ", "Πακιστάν", "Islamic Republic of Pakistan"])
def test_a_country_is_read_from_its_english_name_or_its_iso_codes(value: str) -> None:
    assert read_country(value) == "PK"


def test_an_unknown_country_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="“Narnia” is not a country we know"):
        read_country("Narnia")


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("14/03/1985", dt.date(1985, 3, 14), DatePrecision.EXACT),
        ("1985-03-14", dt.date(1985, 3, 14), DatePrecision.EXACT),
        ("4.3.1985", dt.date(1985, 3, 4), DatePrecision.EXACT),
        ("14-03-1985", dt.date(1985, 3, 14), DatePrecision.EXACT),
        ("03/1985", dt.date(1985, 3, 1), DatePrecision.MONTH),
        ("1985-03", dt.date(1985, 3, 1), DatePrecision.MONTH),
        ("1985", dt.date(1985, 1, 1), DatePrecision.YEAR),
        (1985, dt.date(1985, 1, 1), DatePrecision.YEAR),
        ("ca. 1985", dt.date(1985, 1, 1), DatePrecision.ESTIMATED),
        (dt.datetime(1985, 3, 14), dt.date(1985, 3, 14), DatePrecision.EXACT),
        (31120, dt.date(1985, 3, 14), DatePrecision.EXACT),  # an Excel serial number
        ("31120", dt.date(1985, 3, 14), DatePrecision.EXACT),
        ("1985-03-14 00:00:00", dt.date(1985, 3, 14), DatePrecision.EXACT),
    ],
)
def test_dates_of_birth_are_read_in_the_formats_trackers_use(value: object, expected: dt.date, precision: str) -> None:
    date = read_date(value, DateOrder.DMY, partial=True)
    assert (date.value, date.precision) == (expected, precision)


def test_an_impossible_date_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="“31/02/1990” is not a date: 2/1990 has no day 31"):
        read_date("31/02/1990", DateOrder.DMY, partial=True)
    with pytest.raises(ValueError, match="no month 13"):
        read_date("1990-13-01", DateOrder.AUTO, partial=True)
    with pytest.raises(ValueError, match="four digits"):
        read_date("01/02/90", DateOrder.DMY, partial=True)
    with pytest.raises(ValueError, match="is a month, not a date"):
        read_date("2024-03", DateOrder.DMY, partial=False)
    with pytest.raises(ValueError, match="“03/2024” is not a date we can read: write it as DD/MM/YYYY"):
        read_date("03/2024", DateOrder.DMY, partial=False)


def test_a_date_that_reads_two_ways_is_refused_unless_the_order_is_known() -> None:
    with pytest.raises(ValueError, match="could be read two ways"):
        read_date("03/04/1990", DateOrder.AUTO, partial=True)
    assert read_date("03/04/1990", DateOrder.DMY, partial=True).value == dt.date(1990, 4, 3)
    assert read_date("03/04/1990", DateOrder.MDY, partial=True).value == dt.date(1990, 3, 4)
    assert read_date("25/04/1990", DateOrder.AUTO, partial=True).value == dt.date(1990, 4, 25)


def test_a_columns_unambiguous_dates_settle_its_order() -> None:
    assert mapping.column_order(["03/04/1990", "25/12/1980", None], DateOrder.AUTO) == DateOrder.DMY
    assert mapping.column_order(["03/04/1990", "12/25/1980"], DateOrder.AUTO) == DateOrder.MDY
    assert mapping.column_order(["03/04/1990", "25/12/1980", "12/25/1980"], DateOrder.AUTO) == DateOrder.AUTO
    assert mapping.column_order(["03/04/1990"], DateOrder.MDY) == DateOrder.MDY


def test_words_in_cells_are_read_in_several_languages() -> None:
    assert [mapping.read_relationship(w) for w in ("PA", "Σύζυγος", "fiică", "son", "Principal applicant")] == [
        "principal", "spouse", "child", "child", "principal",
    ]  # fmt: skip
    assert [mapping.read_sex(w) for w in ("F", "male", "Θ", "Bărbat")] == ["F", "M", "F", "M"]
    with pytest.raises(ValueError, match="“cousin's friend” is not a relationship we know"):
        mapping.read_relationship("cousin's friend")
