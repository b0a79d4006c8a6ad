"""The declaration as printed: every adult signs, in the migrant's language where we have it and in English."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.counselling import pdf, services
from homeward.counselling.models import Declaration
from homeward.people.models import Person

pytestmark = pytest.mark.django_db


def prepared(user: User, case: Case, language: str = "en", **consents: bool) -> Declaration:
    services.session_record(
        acting_user=user, case=case, held_on=timezone.localdate(), mode="in_person", language="ur",
        attendees=list(case.members.all()), topics=["return_process"], outcome="wants_to_return",
        informed_decision=True,
    )  # fmt: skip
    values = {"consent_processing": True, "consent_sharing": True, **consents}
    return services.declaration_generate(acting_user=user, case=case, language=language, **values)


def parts(html: str) -> list[str]:
    return re.findall(r'<section class="part" lang="(\w+)"', html)


def signature_lines(html: str) -> list[str]:
    return re.findall(r'<div class="caption">([^<]*?) — ', html)


def test_the_declaration_names_every_adult_on_a_signature_line(counsellor_gr: User, case: Case) -> None:
    html = pdf.declaration_html(prepared(counsellor_gr, case))
    lines = signature_lines(html)
    assert any(line.startswith("Imran Khan") for line in lines)
    assert any(line.startswith("Ayesha Khan") for line in lines)
    # The child travels with the family but does not sign.
    assert not any("Sana" in line for line in lines)
    assert "Sana Khan" in html
    assert any(line.startswith("Counsellor:") for line in lines)


def test_the_declaration_carries_identity_destination_statement_and_consents(counsellor_gr: User, case: Case) -> None:
    Person.objects.filter(given_names="Imran").update(given_names_original="عمران", family_name_original="خان")
    html = pdf.declaration_html(prepared(counsellor_gr, case, consent_sharing=False))
    assert case.reference in html
    assert "عمران خان" in html  # the original script beside the Latin name
    assert "AB1234567" in html  # the principal's passport
    assert "1988 (year only)" in html  # a date of birth known to the year says so
    assert "June 2015 (month and year)" in html
    assert "Pakistan, Lahore" in html
    assert "of my own free will" in html
    assert "My informed decision to return was recorded on" in html
    assert "I consent to the processing of my personal data" in html
    assert "I do not consent to my personal data being shared" in html


def test_in_greek_the_declaration_has_a_greek_part_and_an_english_part(counsellor_gr: User, case: Case) -> None:
    html = pdf.declaration_html(prepared(counsellor_gr, case, language="el"))
    assert parts(html) == ["el", "en"]
    with translation.override("el"):
        greek_label = translation.gettext("Date of birth")
        greek_country = str(case.destination_country.name)
    assert greek_label != "Date of birth"
    greek, english = html.split('<section class="part" lang="en"')
    assert greek_label in greek
    assert greek_country in greek
    assert greek_country != "Pakistan"
    assert "Date of birth" in english
    # Both parts are complete: each has the reference and every adult's signature line.
    for part in (greek, english):
        assert case.reference in part
        assert "Imran Khan" in part
        assert "Ayesha Khan" in part


def test_a_language_without_a_translation_prints_in_english_only(counsellor_gr: User, case: Case) -> None:
    html = pdf.declaration_html(prepared(counsellor_gr, case, language="ur"))
    assert parts(html) == ["en"]
    assert "The migrant's language: Urdu." in html


def test_in_english_there_is_one_part(counsellor_gr: User, case: Case) -> None:
    assert parts(pdf.declaration_html(prepared(counsellor_gr, case))) == ["en"]


def test_the_pdf_is_a_pdf(counsellor_gr: User, case: Case) -> None:
    content = pdf.declaration_pdf(prepared(counsellor_gr, case, language="el"))
    assert content.startswith(b"%PDF")
    assert len(content) > 2000


def test_a_confidential_return_still_gets_its_declaration(counsellor_gr: User, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(confidential_return=True)
    case.refresh_from_db()
    assert pdf.declaration_pdf(prepared(counsellor_gr, case)).startswith(b"%PDF")


def test_language_names_drop_the_iso_dating(counsellor_gr: User, case: Case) -> None:
    html = pdf.declaration_html(prepared(counsellor_gr, case, language="el"))
    assert "The migrant's language: Modern Greek." in html
    assert "1453" not in html
