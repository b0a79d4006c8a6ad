"""The vulnerability taxonomy shipped with Homeward.

Names live here, marked for translation, so the catalogue carries them; the
database rows (VulnerabilityType) are created from this list by a migration
and can be extended by an administrator.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from homeward.accounts.roles import Sensitivity

# code, name, sensitivity, derived from the date of birth, minors only
TAXONOMY = [
    ("child", _("child (under 18)"), Sensitivity.GENERAL, True, False),
    ("elderly", _("elderly person (65+)"), Sensitivity.GENERAL, True, False),
    ("unaccompanied_child", _("unaccompanied or separated child"), Sensitivity.PROTECTION, False, True),
    ("single_parent", _("single parent"), Sensitivity.GENERAL, False, False),
    ("pregnant", _("pregnant woman"), Sensitivity.MEDICAL, False, False),
    ("disability", _("person with a disability"), Sensitivity.MEDICAL, False, False),
    ("health_needs", _("health needs"), Sensitivity.MEDICAL, False, False),
    ("serious_medical_condition", _("serious medical condition"), Sensitivity.MEDICAL, False, False),
    ("trafficking", _("victim of trafficking"), Sensitivity.PROTECTION, False, False),
    ("torture", _("victim of torture"), Sensitivity.PROTECTION, False, False),
    ("gbv", _("survivor of gender-based violence"), Sensitivity.PROTECTION, False, False),
    ("child_protection", _("child protection concern"), Sensitivity.PROTECTION, False, False),
]

NAMES = {code: name for code, name, *_rest in TAXONOMY}


def load_shipped(apps: Any) -> None:
    """Create or refresh the shipped types (the data migration; and tests that emptied the tables)."""
    vulnerability_type = apps.get_model("people", "VulnerabilityType")
    for order, (code, name, sensitivity, derived, minors_only) in enumerate(TAXONOMY):
        vulnerability_type.objects.update_or_create(
            code=code,
            defaults={
                "name": str(name),
                "sensitivity": str(sensitivity),
                "derived": derived,
                "minors_only": minors_only,
                "order": order,
            },
        )
