"""Who may do what in monitoring: the services enforce it, the pages use it to offer only what one may do.

Visits happen in the country of origin: the origin mission's reintegration officers
record them (the host mission's counsellors stand in while no origin mission has
accepted the case, as they do for the other origin-side work), and so do the M&E
officers of either mission, who follow how returns turned out. A case is closed by
a supervisor of either mission.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts import permissions
from homeward.accounts.roles import Perm

# Holding both in one of the case's missions: an M&E officer (or a supervisor).
_MONITORS = (Perm.VIEW_CASE, Perm.VIEW_AGGREGATES)


def _missions(case: Any) -> list[int]:
    return [m for m in (case.host_mission_id, case.referred_to_mission_id) if m is not None]


def may_record(user: Any, case: Any) -> bool:
    """Record, miss or add photos to a visit of ``case``."""
    if permissions.has_perm_in(user, Perm.RECEIVE_RETURNEE, case.referred_to_mission_id):
        return True
    if case.referred_to_mission_id is None and permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id):
        return True
    return any(all(permissions.has_perm_in(user, p, m) for p in _MONITORS) for m in _missions(case))


def may_close(user: Any, case: Any) -> bool:
    return permissions.has_case_perm(user, Perm.SUPERVISE, case)
