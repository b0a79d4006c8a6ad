from __future__ import annotations

import pytest

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import ROLE_PERMS, ROLE_SENSITIVITIES, Perm, Role, Sensitivity
from homeward.cases.models import Case

pytestmark = pytest.mark.django_db


def test_every_role_has_permissions_and_sensitivities_defined() -> None:
    assert set(ROLE_PERMS) == set(Role.values)
    assert set(ROLE_SENSITIVITIES) == set(Role.values)


def test_programme_viewers_and_administrators_see_no_personal_data() -> None:
    for role in (Role.PROGRAMME_VIEWER, Role.ADMINISTRATOR):
        assert Perm.VIEW_CASE not in ROLE_PERMS[role]
        assert ROLE_SENSITIVITIES[role] == frozenset()


def test_counsellor_of_gr_may_view_and_change_only_gr_cases(counsellor_gr: User, case_gr: Case, case_ro: Case) -> None:
    assert permissions.can_view_case(counsellor_gr, case_gr)
    assert permissions.can_change_case(counsellor_gr, case_gr)
    assert not permissions.can_view_case(counsellor_gr, case_ro)
    assert not permissions.can_change_case(counsellor_gr, case_ro)


def test_an_inactive_user_has_no_access(counsellor_gr: User, case_gr: Case) -> None:
    counsellor_gr.is_active = False
    counsellor_gr.save(update_fields=["is_active"])
    fresh = User.objects.get(pk=counsellor_gr.pk)
    assert not permissions.can_view_case(fresh, case_gr)


def test_origin_mission_reads_referred_cases_but_does_not_edit_registration(
    reintegration_pk: User, case_gr: Case, pk: Mission
) -> None:
    case_gr.referred_to_mission = pk
    assert permissions.can_view_case(reintegration_pk, case_gr)
    assert not permissions.can_change_case(reintegration_pk, case_gr)
    assert permissions.visible_sensitivities(reintegration_pk, case_gr) == frozenset(Sensitivity.values)


def test_sensitivities_follow_the_role(finance_gr: User, movement_gr: User, case_gr: Case) -> None:
    assert permissions.visible_sensitivities(finance_gr, case_gr) == {Sensitivity.GENERAL}
    assert permissions.visible_sensitivities(movement_gr, case_gr) == {Sensitivity.GENERAL, Sensitivity.MEDICAL}
