"""Who may do what with surveys: the services enforce it, the pages use it to offer only what one may do.

The RSS and the satisfaction questionnaires are taken by the origin mission's
reintegration staff (``Perm.RECEIVE_RETURNEE`` there), or by the M&E officers and
supervisors of either of the case's missions. Counsellors of the host mission also
take satisfaction questionnaires (counselling is theirs). Instruments and weight
tables are loaded by administrators (``Perm.MANAGE_PROGRAMMES``).
"""

from __future__ import annotations

from typing import Any

from homeward.accounts import permissions
from homeward.accounts.roles import Perm, Role

SURVEY_ROLES = (Role.ME_OFFICER, Role.CASE_SUPERVISOR)


def _case_missions(case: Any) -> list[int]:
    return [m for m in (case.host_mission_id, case.referred_to_mission_id) if m is not None]


def may_record(user: Any, case: Any) -> bool:
    """May take the RSS (and the satisfaction questionnaires) for ``case``."""
    if permissions.has_perm_in(user, Perm.RECEIVE_RETURNEE, case.referred_to_mission_id):
        return True
    roles = permissions.roles_by_mission(user)
    return any(roles.get(mission) in SURVEY_ROLES for mission in _case_missions(case))


def may_record_satisfaction(user: Any, case: Any) -> bool:
    return may_record(user, case) or permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id)


def may_manage(user: Any) -> bool:
    """Load instruments and weight tables, retire versions."""
    return user is not None and permissions.has_perm_anywhere(user, Perm.MANAGE_PROGRAMMES)


def may_import(user: Any) -> bool:
    """Import Kobo/ODK submissions: whoever may take the RSS somewhere."""
    roles = permissions.roles_by_mission(user)
    return bool(permissions.mission_ids_with(user, Perm.RECEIVE_RETURNEE)) or any(
        role in SURVEY_ROLES for role in roles.values()
    )


def may_see_rates(user: Any, programme: Any) -> bool:
    """Satisfaction rates are aggregates: ``Perm.VIEW_AGGREGATES`` in one of the programme's missions."""
    missions = {m.pk for m in programme.missions.all()}
    return bool(missions & permissions.mission_ids_with(user, Perm.VIEW_AGGREGATES))
