"""Reads of programmes: reference data every signed-in member of a mission may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.programmes.models import Programme


def programmes_for(user: User) -> QuerySet[Programme]:
    """Programmes implemented by the user's missions (administrators: all)."""
    qs = Programme.objects.prefetch_related("missions")
    if user.is_superuser:
        return qs
    return qs.filter(missions__in=permissions.roles_by_mission(user)).distinct()


def programme_for(user: User, pk: int) -> Programme:
    programme = (
        programmes_for(user)
        .prefetch_related("phases", "targets", "budget_lines", "rule_versions")
        .filter(pk=pk)
        .first()
    )
    if programme is None:
        raise Http404
    return programme
