"""Reads for imports, scoped to the missions where the user may register cases."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.imports.models import ImportMapping, TrackerUpload
from homeward.programmes.models import Programme


def import_missions(user: User) -> QuerySet[Mission]:
    """The host missions the user may import cases into (``REGISTER_CASE`` there)."""
    ids = permissions.mission_ids_with(user, Perm.REGISTER_CASE)
    return Mission.objects.filter(pk__in=ids, kind__in=[Mission.Kind.HOST, Mission.Kind.BOTH])


def import_programmes(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(missions__in=import_missions(user)).distinct().order_by("code")


def mappings_for(user: User, mission: Mission | None = None) -> QuerySet[ImportMapping]:
    """Saved mappings of the missions the user imports into; a mapping of another mission is never offered."""
    qs = ImportMapping.objects.filter(mission__in=import_missions(user)).select_related("mission")
    return qs.filter(mission=mission) if mission is not None else qs


def mapping_named(user: User, mission: Mission, name: str) -> ImportMapping | None:
    return mappings_for(user, mission).filter(name=name).first()


def mapping_for(user: User, pk: int) -> ImportMapping:
    mapping = mappings_for(user).filter(pk=pk).first()
    if mapping is None:
        raise Http404
    return mapping


def uploads_of(user: User) -> QuerySet[TrackerUpload]:
    """The user's own uploads, in missions where they still may import."""
    return TrackerUpload.objects.filter(owner=user, mission__in=import_missions(user)).select_related(
        "mission", "programme"
    )


def upload_for(user: User, pk: int) -> TrackerUpload:
    upload = uploads_of(user).filter(pk=pk).first()
    if upload is None:
        raise Http404
    return upload
