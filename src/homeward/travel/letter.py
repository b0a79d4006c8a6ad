"""The travel letter a traveller carries: the flights in local time, who helps at each leg, the way home.

Written in the principal applicant's language where we have a translation,
and always in English too (two sections then).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.travel import airports
from homeward.travel.models import Itinerary
from homeward.travel.selectors import ItineraryView, itinerary_view

_HERE = Path(__file__).resolve().parent


def letter_languages(case: Case) -> list[str]:
    """The principal's first language if we translate into it, then English."""
    principal = case_selectors.principal_of(case)
    first = (principal.languages[0] if principal and principal.languages else "").lower()
    ours = {code for code, _name in settings.LANGUAGES}
    return [first, "en"] if first in ours and first != "en" else ["en"]


def _place(code: str) -> str:
    airport = airports.lookup(code)
    return f"{airport.city or airport.name} ({code})" if airport else code


def _context(view: ItineraryView) -> dict[str, Any]:
    itinerary = view.itinerary
    return {
        "view": view,
        "itinerary": itinerary,
        "case": itinerary.case,
        "host": itinerary.case.host_mission,
        "segments": [
            {"view": s, "origin": _place(s.segment.origin), "destination": _place(s.segment.destination)}
            for s in view.segments
        ],
        "legs": [{"view": leg, "place": _place(leg.airport)} for leg in view.legs],
        "issued_on": timezone.localdate(),
    }


def _feedback(case: Case, base_url: str, user: Any) -> dict[str, Any]:
    """The case's feedback code, link and QR code: how the returnee tells us how it went, once home."""
    from homeward.feedback import selectors as feedback_selectors
    from homeward.feedback.services import feedback_link_for

    link = feedback_link_for(case, acting_user=user)
    url = feedback_selectors.public_url(link, case, base_url)
    return {
        "feedback_code": link.display_code,
        "feedback_url": url,
        "feedback_code_url": feedback_selectors.code_url(base_url),
        "feedback_qr": feedback_selectors.qr_data_uri(url),
    }


def letter_html(itinerary: Itinerary, *, user: Any, base_url: str = "") -> str:
    """The letter as HTML, one section per language (exposed so tests can read what the PDF says).

    ``base_url`` (``https://host``) makes the feedback link absolute; without it the link is a path.
    """
    view = itinerary_view(itinerary, user)
    context = {**_context(view), **_feedback(itinerary.case, base_url, user)}
    sections = []
    for language in letter_languages(itinerary.case):
        with translation.override(language):
            sections.append(
                {
                    "language": language,
                    "html": render_to_string("travel/letter_section.html", {**context, "language": language}),
                }
            )
    return render_to_string("travel/letter.html", {**context, "sections": sections})


def letter_pdf(itinerary: Itinerary, *, user: Any, base_url: str = "") -> bytes:
    import weasyprint  # heavy: loaded when a letter is asked for, not with every page

    html = letter_html(itinerary, user=user, base_url=base_url)
    return weasyprint.HTML(string=html, base_url=str(_HERE)).write_pdf()
