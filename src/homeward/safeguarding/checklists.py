"""What must be done before a vulnerable person travels, by vulnerability.

One table: a vulnerability code (people/taxonomy.py) names the items that must
be complete, each with who, when and the evidence, before the case is booked
or departs. The item inherits the sensitivity of the vulnerability it is for.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ITEMS = {
    "best_interests": _("best-interests assessment"),
    "guardian_consent": _("the guardian's consent"),
    "child_protection_signoff": _("sign-off by the child-protection authority"),
    "escort": _("an escort for the journey"),
    "reception_arrangement": _("a named reception arrangement in the country of origin"),
    "safe_return_assessment": _("risk and safe-return assessment"),
    "specialised_referral": _("specialised referral in the country of origin accepted"),
    "fit_to_travel": _("medical fit-to-travel"),
    "escort_decision": _("decision on a medical escort"),
    "continuity_of_care": _("continuity-of-care referral"),
    "travel_assistance_needs": _("travel-assistance needs recorded"),
}

_HEALTH = ("fit_to_travel", "escort_decision", "continuity_of_care")

CHECKLISTS: dict[str, tuple[str, ...]] = {
    "unaccompanied_child": (
        "best_interests",
        "guardian_consent",
        "child_protection_signoff",
        "escort",
        "reception_arrangement",
    ),
    "trafficking": ("safe_return_assessment", "specialised_referral"),
    "health_needs": _HEALTH,
    "serious_medical_condition": _HEALTH,
    "disability": ("fit_to_travel", "travel_assistance_needs"),
    "elderly": ("travel_assistance_needs",),
    "pregnant": ("fit_to_travel", "travel_assistance_needs"),
    "single_parent": ("travel_assistance_needs",),
}
