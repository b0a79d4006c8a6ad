"""The donor report as a printable PDF: the page's rows (``report_layout``) on A4, with the narrative."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from homeward.reporting import report_layout
from homeward.reporting.figures import Doc
from homeward.reporting.models import DonorReport


def report_html(doc: Doc, report: DonorReport | None = None) -> str:
    context: dict[str, Any] = {
        "doc": doc,
        "report": report,
        "sections": report_layout.sections(doc),
        "suppressed": doc.get("suppression", {}).get("applied"),
        "generated_at": report_layout.generated_at(doc),
        "language": translation.get_language(),
        "bidi": translation.get_language_bidi(),
        "narrative": [(title, getattr(report, name)) for name, title in report_layout.narrative_titles().items()]
        if report
        else [],
    }
    return render_to_string("reporting/report_pdf.html", context)


def report_pdf(doc: Doc, report: DonorReport | None = None) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=report_html(doc, report)).write_pdf())
