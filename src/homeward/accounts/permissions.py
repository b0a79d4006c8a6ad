"""The one place that decides who may see and do what.

Every page, endpoint and service asks here. Access comes only from a user's
memberships: a role in a mission gives that role's permissions over the
cases hosted by that mission and the cases referred to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from homeward.accounts.roles import ROLE_PERMS, ROLE_SENSITIVITIES, Perm

if TYPE_CHECKING:
    from homeward.accounts.models import User

_CACHE_ATTR = "_homeward_roles"


def roles_by_mission(user: User | Any) -> dict[int, str]:
    """``{mission_id: role}`` for an active user, cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = dict(user.memberships.values_list("mission_id", "role"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def mission_ids_with(user: User | Any, perm: Perm) -> set[int]:
    return {mid for mid, role in roles_by_mission(user).items() if perm in ROLE_PERMS[role]}


def has_perm_in(user: User | Any, perm: Perm, mission_id: int | None) -> bool:
    return mission_id is not None and mission_id in mission_ids_with(user, perm)


def has_perm_anywhere(user: User | Any, perm: Perm) -> bool:
    return bool(mission_ids_with(user, perm))


def case_scope(user: User | Any, perm: Perm = Perm.VIEW_CASE, prefix: str = "") -> Q:
    """A filter for the cases on which ``user`` holds ``perm``.

    ``prefix`` lets other apps filter through a relation, e.g. ``"case__"``.
    A user without the permission anywhere gets a filter that matches nothing.
    """
    missions = mission_ids_with(user, perm)
    if not missions:
        return Q(pk__in=[])
    return Q(**{f"{prefix}host_mission_id__in": missions}) | Q(**{f"{prefix}referred_to_mission_id__in": missions})


def _case_missions(case: Any) -> set[int]:
    return {m for m in (case.host_mission_id, case.referred_to_mission_id) if m is not None}


def has_case_perm(user: User | Any, perm: Perm, case: Any) -> bool:
    return bool(_case_missions(case) & mission_ids_with(user, perm))


def can_view_case(user: User | Any, case: Any) -> bool:
    return has_case_perm(user, Perm.VIEW_CASE, case)


def can_change_case(user: User | Any, case: Any) -> bool:
    # Only the host mission edits registration data; the origin mission reads it.
    return has_perm_in(user, Perm.CHANGE_CASE, case.host_mission_id)


def registration_sensitivities(user: User | Any) -> frozenset[str]:
    """What a user registering a case may record: the sensitivities of its registering roles."""
    levels: set[str] = set()
    for role in roles_by_mission(user).values():
        if Perm.REGISTER_CASE in ROLE_PERMS[role]:
            levels |= ROLE_SENSITIVITIES[role]
    return frozenset(levels)


def visible_sensitivities(user: User | Any, case: Any) -> frozenset[str]:
    """The sensitivity levels of facts about ``case`` that ``user`` may see."""
    roles = roles_by_mission(user)
    levels: set[str] = set()
    for mission_id in _case_missions(case):
        role = roles.get(mission_id)
        if role is not None and Perm.VIEW_CASE in ROLE_PERMS[role]:
            levels |= ROLE_SENSITIVITIES[role]
    return frozenset(levels)


def users_with(perm: Perm, mission_ids: Any) -> QuerySet[User]:
    """Active users holding ``perm`` in any of these missions, by name (e.g. who counsels there)."""
    from homeward.accounts.models import User

    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms]
    return (
        User.objects.filter(is_active=True, memberships__mission_id__in=list(mission_ids), memberships__role__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
