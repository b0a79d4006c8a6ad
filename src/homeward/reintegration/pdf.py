"""The reintegration agreement as a printable PDF.

The returnee signs what they can read: the agreement is printed in their language
where Homeward has a translation (``settings.LANGUAGES``), in English otherwise,
and the page says which.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from homeward.counselling.selectors import language_name
from homeward.reintegration import selectors
from homeward.reintegration.models import Plan


def _signatory(plan: Plan) -> Any:
    """Who signs for the returnee: the plan's member, or the principal applicant of the household."""
    if plan.member_id:
        return plan.member
    return next((m for m in plan.case.members.select_related("person") if m.is_principal), None)


def agreement_html(plan: Plan) -> str:
    """The agreement as one HTML document in the agreement's language."""
    language, spoken = selectors.agreement_language(plan)
    case = plan.case
    with translation.override(language):
        found = selectors.ceiling(case)
        committed = selectors.committed_in_plans(case)
        return render_to_string(
            "reintegration/agreement_pdf.html",
            {
                "plan": plan,
                "case": case,
                "language": language,
                "bidi": translation.get_language_bidi(),
                "language_name": language_name(language),
                "spoken_name": language_name(spoken) if spoken else "",
                "translated": not spoken or spoken == language,
                "whose": selectors.whose(plan),
                "signatory": _signatory(plan),
                "components": [c for c in plan.components.all() if c.status != c.Status.CANCELLED],
                "total": selectors.plan_total(plan),
                "ceiling": found,
                "committed": committed,
                "remaining": None if found is None else found.amount - committed,
                "deadlines": selectors.deadlines(case),
                "mission": case.referred_to_mission or case.host_mission,
                "generated_on": timezone.localdate(),
            },
        )


def agreement_pdf(plan: Plan) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=agreement_html(plan)).write_pdf())
