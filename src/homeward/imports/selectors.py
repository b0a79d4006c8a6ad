"""Reads for imports, scoped to the missions where the user may register cases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.cases.models import CaseMember
from homeward.cases.selectors import cases_visible_to
from homeward.core.text import search_key
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


@dataclass(frozen=True)
class Known:
    """A person already recorded, as the duplicate rule compares them."""

    birth_year: int | None
    case_reference: str


DuplicateIndex = dict[tuple[str, str], list[Known]]


def known_people(user: User, nationalities: set[str]) -> DuplicateIndex:
    """People in cases the user may see, by (folded name, nationality): one query for a whole file.

    Only visible cases count, so the check never reveals a case of another mission.
    """
    index: DuplicateIndex = defaultdict(list)
    if not nationalities:
        return index
    rows = (
        CaseMember.objects.filter(case__in=cases_visible_to(user), person__nationality__in=sorted(nationalities))
        .values_list("person__given_names", "person__family_name", "person__nationality", "person__birth_date",
                     "case__reference")
        .order_by()
        .iterator(chunk_size=5000)
    )  # fmt: skip
    for given, family, nationality, born, reference in rows:
        year = born.year if isinstance(born, dt.date) else None
        index[(search_key(given, family), str(nationality))].append(Known(year, reference))
    return index
