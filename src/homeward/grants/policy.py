"""Who may do what with a grant: the services enforce it, the pages use it to show only what one may do.

Cash before departure (pre-departure cash, per diem) is the host mission's: its
counsellors propose, its supervisors approve. Money on arrival (the arrival grant,
reintegration paid in cash) is the origin mission's: its reintegration officers (or
the host mission's counsellors, preparing the return) propose, its supervisors
approve. A finance officer of either mission pays, never the one who approved.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.grants.models import Grant

K = Grant.Kind
S = Grant.Status

BEFORE_DEPARTURE_KINDS = frozenset({K.PRE_DEPARTURE_CASH, K.PER_DIEM})
ON_ARRIVAL_KINDS = frozenset({K.ARRIVAL, K.REINTEGRATION})
# A grant that still counts against the entitlement (a returned or cancelled one does not).
LIVE = (S.PROPOSED, S.APPROVED, S.PAID)
# Those who settle cash that did not travel: the cashier, the movement officer, the supervisor.
RECONCILERS = (Perm.PAY, Perm.ARRANGE_TRAVEL, Perm.SUPERVISE)


def approving_mission(case: Any, kind: str) -> int | None:
    """The mission whose supervisor approves a grant of ``kind`` (None: no origin mission yet)."""
    return case.host_mission_id if kind in BEFORE_DEPARTURE_KINDS else case.referred_to_mission_id


def may_propose(user: Any, case: Any, kind: str) -> bool:
    if permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id):
        return True
    return kind in ON_ARRIVAL_KINDS and permissions.has_perm_in(
        user, Perm.RECEIVE_RETURNEE, case.referred_to_mission_id
    )


def may_propose_any(user: Any, case: Any) -> bool:
    return any(may_propose(user, case, kind) for kind in K.values)


def may_approve(user: Any, grant: Grant) -> bool:
    return permissions.has_perm_in(user, Perm.SUPERVISE, approving_mission(grant.case, grant.kind))


def may_pay(user: Any, grant: Grant) -> bool:
    return permissions.has_case_perm(user, Perm.PAY, grant.case)


def may_cancel(user: Any, grant: Grant) -> bool:
    """A proposal is withdrawn by whoever may propose or approve it; an approved grant's
    commitment is released by a supervisor or a finance officer."""
    if grant.status == S.PROPOSED:
        return may_propose(user, grant.case, grant.kind) or may_approve(user, grant)
    return may_approve(user, grant) or may_pay(user, grant)


def may_return(user: Any, grant: Grant) -> bool:
    """Paid cash comes back to a finance officer (the payment is reversed in the ledger);
    an approved grant's cash may also be taken back by the supervisor."""
    if grant.status == S.PAID:
        return may_pay(user, grant)
    return may_pay(user, grant) or may_approve(user, grant)


def may_reconcile(user: Any, case: Any) -> bool:
    return any(permissions.has_case_perm(user, perm, case) for perm in RECONCILERS)


def reconciling_missions(user: Any) -> set[int]:
    missions: set[int] = set()
    for perm in RECONCILERS:
        missions |= permissions.mission_ids_with(user, perm)
    return missions
