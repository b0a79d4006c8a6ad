"""Who am I, and which missions: /api/v1/me, /api/v1/missions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from homeward.accounts import permissions
from homeward.accounts.models import Mission

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    mission: str
    role: str


class MeOut(Schema):
    username: str
    name: str
    language: str
    memberships: list[MembershipOut]


class MissionOut(Schema):
    code: str
    name: str
    country: str
    kind: str
    languages: list[str]
    office_hours: str
    contact_email: str
    contact_phone: str


@router.get("/me", response=MeOut, summary="The signed-in user and its roles")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    codes = dict(Mission.objects.filter(pk__in=permissions.roles_by_mission(user)).values_list("pk", "code"))
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "language": user.language,
        "memberships": [{"mission": codes[m], "role": r} for m, r in permissions.roles_by_mission(user).items()],
    }


@router.get("/missions", response=list[MissionOut], summary="The missions the user works in")
def missions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {**{f: getattr(m, f) for f in MissionOut.model_fields if f != "country"}, "country": m.country.code}
        for m in Mission.objects.filter(pk__in=permissions.roles_by_mission(request.user))
    ]
