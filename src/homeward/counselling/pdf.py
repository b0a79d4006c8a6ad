"""The declaration of voluntary return as a printable PDF.

The migrant reads it in their language where Homeward has a translation
(``settings.LANGUAGES``) and the mission files it in English, so a declaration
in another language than English has two parts, each complete with its own
signature lines: the migrant signs what they understood.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from homeward.cases import workflow
from homeward.core.dates import DatePrecision
from homeward.counselling import selectors
from homeward.counselling.models import Declaration


def part_languages(language: str) -> list[str]:
    """The languages the declaration is printed in: the migrant's where translated, and English."""
    available = {code for code, _name in settings.LANGUAGES}
    if language in available and language != "en":
        return [language, "en"]
    return ["en"]


def _member_rows(case: Any) -> list[dict[str, Any]]:
    rows = []
    for member in case.members.select_related("person").prefetch_related("person__documents"):
        person = member.person
        dob = person.date_of_birth
        rows.append({
            "member": member,
            "person": person,
            "dob": dob.display() if dob else "",
            "dob_precision": person.get_birth_date_precision_display()
            if dob and dob.precision != DatePrecision.EXACT
            else "",
            "nationality": person.nationality.name if person.nationality else "",
            "relationship": member.get_relationship_display(),
            "documents": list(person.documents.all()),
        })  # fmt: skip
    return rows


def _part(declaration: Declaration, language: str, adults: list[Any], decision: Any) -> str:
    with translation.override(language):
        members = _member_rows(declaration.case)
        return render_to_string(
            "counselling/_declaration_part.html",
            {
                "declaration": declaration,
                "case": declaration.case,
                "language": language,
                "bidi": translation.get_language_bidi(),
                "principal": next((r for r in members if r["member"].is_principal), None),
                "family": [r for r in members if not r["member"].is_principal],
                "destination": declaration.case.destination_country.name,
                "adults": adults,
                "decision": decision,
                "migrant_language": selectors.language_name(declaration.language),
                "generated_on": timezone.localdate(declaration.generated_at),
            },
        )


def declaration_html(declaration: Declaration) -> str:
    """The declaration as one HTML document: a part per language, each with its signature lines."""
    case = declaration.case
    adults = workflow.adults(case)
    decision = selectors.decision_session(list(selectors.sessions_of(case)))
    parts = [mark_safe(_part(declaration, code, adults, decision)) for code in part_languages(declaration.language)]  # noqa: S308 (our own template's output)
    return render_to_string(
        "counselling/declaration_pdf.html", {"declaration": declaration, "case": case, "parts": parts}
    )


def declaration_pdf(declaration: Declaration) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=declaration_html(declaration)).write_pdf())
