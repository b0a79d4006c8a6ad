"""Every read of providers, scoped to the user, and who may do what with them.

Providers belong to the origin mission that manages them. Its reintegration
officers, supervisors and finance officers see them; administrators see all.
Bank details are for the mission's finance officers and supervisors, and
administrators, only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import ROLE_PERMS, Perm, Role
from homeward.assistance.models import BANK_FIELDS, Provider
from homeward.core import history

# ---------------------------------------------------------------- who may do what


def _roles(user: Any) -> dict[int, str]:
    return permissions.roles_by_mission(user)


def is_administrator(user: Any) -> bool:
    return Role.ADMINISTRATOR in _roles(user).values()


def _may_view_as(role: str) -> bool:
    perms = ROLE_PERMS[role]
    return Perm.RECEIVE_RETURNEE in perms or Perm.SUPERVISE in perms or role == Role.FINANCE_OFFICER


def _may_edit_as(role: str) -> bool:
    return role in {Role.REINTEGRATION_OFFICER, Role.CASE_SUPERVISOR}


def _may_handle_bank_as(role: str) -> bool:
    return role in {Role.FINANCE_OFFICER, Role.CASE_SUPERVISOR}


def viewing_missions(user: Any) -> set[int] | None:
    """The missions whose providers ``user`` sees; ``None`` means all of them (an administrator)."""
    if is_administrator(user):
        return None
    return {mission for mission, role in _roles(user).items() if _may_view_as(role)}


def may_view_providers(user: Any) -> bool:
    """Whether ``user`` sees any provider at all: the menu entry and the list page."""
    return is_administrator(user) or bool(viewing_missions(user))


def can_view(user: Any, mission_id: int) -> bool:
    role = _roles(user).get(mission_id)
    return is_administrator(user) or (role is not None and _may_view_as(role))


def can_edit(user: Any, mission_id: int) -> bool:
    """Register providers for the mission and change their details (not bank details, not vetting decisions)."""
    role = _roles(user).get(mission_id)
    return is_administrator(user) or (role is not None and _may_edit_as(role))


def can_handle_bank_details(user: Any, mission_id: int) -> bool:
    role = _roles(user).get(mission_id)
    return is_administrator(user) or (role is not None and _may_handle_bank_as(role))


def can_decide_vetting(user: Any, provider: Provider) -> bool:
    """Vet, reject or suspend: a supervisor of the managing mission or an administrator, never
    the person who registered the provider (separation of duties)."""
    if provider.created_by_id == getattr(user, "pk", None):
        return False
    return is_administrator(user) or _roles(user).get(provider.mission_id) == Role.CASE_SUPERVISOR


def missions_for_registration(user: Any) -> QuerySet[Mission]:
    """Origin missions for which ``user`` may register providers."""
    origin = Mission.objects.filter(kind__in=[Mission.Kind.ORIGIN, Mission.Kind.BOTH])
    if is_administrator(user):
        return origin
    return origin.filter(pk__in=[m for m, role in _roles(user).items() if _may_edit_as(role)])


# ---------------------------------------------------------------- providers


@dataclass(frozen=True)
class ProviderFilters:
    q: str = ""
    country: str = ""
    category: str = ""
    vetting_status: str = ""
    mission: str = ""  # a mission code
    inactive: bool = False  # include inactive providers


def providers_visible_to(user: Any) -> QuerySet[Provider]:
    missions = viewing_missions(user)
    providers = Provider.objects.select_related("mission", "vetted_by")
    return providers if missions is None else providers.filter(mission_id__in=missions)


def provider_list(user: Any, filters: ProviderFilters | None = None) -> QuerySet[Provider]:
    filters = filters or ProviderFilters()
    providers = providers_visible_to(user)
    if filters.q.strip():
        providers = providers.filter(name__icontains=filters.q.strip())
    if filters.country:
        providers = providers.filter(country=filters.country.upper())
    if filters.category:
        providers = providers.filter(category=filters.category)
    if filters.vetting_status:
        providers = providers.filter(vetting_status=filters.vetting_status)
    if filters.mission:
        providers = providers.filter(mission__code=filters.mission.upper())
    if not filters.inactive:
        providers = providers.filter(active=True)
    return providers.order_by("name", "pk")


def provider_for_user(user: Any, pk: int) -> Provider:
    """The provider, or 404 when ``user`` may not see it (the answer says nothing about whether it exists)."""
    provider = providers_visible_to(user).select_related("created_by").filter(pk=pk).first()
    if provider is None:
        raise Http404(_("No such provider."))
    return provider


def vetted_providers(mission: Mission, category: str | None = None) -> QuerySet[Provider]:
    """The active, vetted providers of ``mission`` (of one category if given): those a quote may come from."""
    providers = Provider.objects.filter(mission=mission, vetting_status=Provider.Vetting.VETTED, active=True)
    if category:
        providers = providers.filter(category=category)
    return providers.order_by("name", "pk")


# ---------------------------------------------------------------- history


@dataclass
class VettingStep:
    entry: LogEntry
    old: str | None
    new: str
    note: str


def _history_entries(provider: Provider, limit: int) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Provider), object_pk=str(provider.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )


def provider_history(user: Any, provider: Provider, *, limit: int = 200) -> list[history.Row]:
    """The provider's changes, newest first. Those who may not see bank details learn that they
    changed, never what they were (the log itself keeps only their last four characters)."""
    rows = history.describe(_history_entries(provider, limit))
    if can_handle_bank_details(user, provider.mission_id):
        return rows
    bank_labels = {str(Provider._meta.get_field(name).verbose_name) for name in BANK_FIELDS}
    hidden = _("changed (hidden)")
    for row in rows:
        row.changes = [history.Change(c.label, None, hidden) if c.label in bank_labels else c for c in row.changes]
    return rows


def vetting_history(provider: Provider, *, limit: int = 200) -> list[VettingStep]:
    """Each change of vetting status, oldest first, with who made it and the note given."""
    labels = dict(Provider.Vetting.choices)
    steps = []
    note = ""  # the note in force: an entry lists it only when it changed
    for entry in reversed(_history_entries(provider, limit)):
        changes = entry.changes_dict
        if "vetting_note" in changes:
            value = changes["vetting_note"][1]
            note = "" if value in history.EMPTY else str(value)
        if "vetting_status" not in changes:
            continue
        old, new = changes["vetting_status"]
        created = entry.action == LogEntry.Action.CREATE
        steps.append(
            VettingStep(entry, None if created else str(labels.get(old, old)), str(labels.get(new, new)), note)
        )
    return steps
