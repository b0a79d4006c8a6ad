"""Roles, what each may do, and which sensitive facts each may see.

This table is the policy; ``permissions`` applies it. Changing who may do
what is a change here, reviewed like code.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("counsellor")
    CASE_SUPERVISOR = "case_supervisor", _("case supervisor")
    MOVEMENT_OFFICER = "movement_officer", _("movement officer")
    FINANCE_OFFICER = "finance_officer", _("finance officer")
    REINTEGRATION_OFFICER = "reintegration_officer", _("reintegration officer")
    ME_OFFICER = "me_officer", _("M&E officer")
    PROGRAMME_VIEWER = "programme_viewer", _("programme viewer")
    ADMINISTRATOR = "administrator", _("administrator")


class Perm(StrEnum):
    VIEW_CASE = "view_case"
    REGISTER_CASE = "register_case"
    CHANGE_CASE = "change_case"
    ASSIGN_CASE = "assign_case"
    VIEW_AGGREGATES = "view_aggregates"
    MANAGE_USERS = "manage_users"
    MANAGE_PROGRAMMES = "manage_programmes"
    COUNSEL = "counsel"  # counselling sessions, the declaration, safeguarding evidence
    SUPERVISE = "supervise"  # sign-offs, reopening and cancelling cases
    ARRANGE_TRAVEL = "arrange_travel"  # travel documents, itineraries, departure
    RECEIVE_RETURNEE = "receive_returnee"  # arrival and what follows, in the country of origin
    PAY = "pay"  # pay grants and invoices, book money against budget lines
    MANAGE_SITE = "manage_site"  # the public site's pages, the offices and their opening hours


class Sensitivity(models.TextChoices):
    """How sensitive a fact about a person is, and so who may see it."""

    GENERAL = "general", _("general")
    MEDICAL = "medical", _("medical")
    PROTECTION = "protection", _("protection (trafficking, GBV, torture, child protection)")


_CASEWORK = {Perm.VIEW_CASE, Perm.REGISTER_CASE, Perm.CHANGE_CASE}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.COUNSELLOR: frozenset(_CASEWORK | {Perm.COUNSEL}),
    Role.CASE_SUPERVISOR: frozenset(
        _CASEWORK
        | {Perm.ASSIGN_CASE, Perm.VIEW_AGGREGATES, Perm.COUNSEL, Perm.SUPERVISE, Perm.ARRANGE_TRAVEL}
        | {Perm.RECEIVE_RETURNEE}
    ),
    Role.MOVEMENT_OFFICER: frozenset({Perm.VIEW_CASE, Perm.ARRANGE_TRAVEL}),
    Role.FINANCE_OFFICER: frozenset({Perm.VIEW_CASE, Perm.PAY}),
    Role.REINTEGRATION_OFFICER: frozenset({Perm.VIEW_CASE, Perm.RECEIVE_RETURNEE}),
    Role.ME_OFFICER: frozenset({Perm.VIEW_CASE, Perm.VIEW_AGGREGATES}),
    # Aggregates only: never a case, never a name.
    Role.PROGRAMME_VIEWER: frozenset({Perm.VIEW_AGGREGATES}),
    Role.ADMINISTRATOR: frozenset({Perm.MANAGE_USERS, Perm.MANAGE_PROGRAMMES, Perm.VIEW_AGGREGATES, Perm.MANAGE_SITE}),
}

# Movement officers arrange medical escorts, so they see medical needs; only the
# roles that counsel and protect see trafficking, GBV, torture and child protection.
ROLE_SENSITIVITIES: dict[str, frozenset[str]] = {
    Role.COUNSELLOR: frozenset(Sensitivity.values),
    Role.CASE_SUPERVISOR: frozenset(Sensitivity.values),
    Role.REINTEGRATION_OFFICER: frozenset(Sensitivity.values),
    Role.MOVEMENT_OFFICER: frozenset({Sensitivity.GENERAL, Sensitivity.MEDICAL}),
    Role.FINANCE_OFFICER: frozenset({Sensitivity.GENERAL}),
    Role.ME_OFFICER: frozenset({Sensitivity.GENERAL}),
    Role.PROGRAMME_VIEWER: frozenset(),
    Role.ADMINISTRATOR: frozenset(),
}
