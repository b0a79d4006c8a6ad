"""The arrival manifest handed to a destination country's authorities: who lands there on a day.

A case marked ``confidential_return`` travels as an ordinary passenger: it is
filtered out in the query itself, so it is never listed, counted or hinted at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases.models import CaseMember
from homeward.people.models import IdentityDocument
from homeward.travel import airports
from homeward.travel.models import Itinerary, TravelDocumentRequest
from homeward.travel.selectors import SegmentView, itinerary_view, with_details

_MARGIN = dt.timedelta(days=2)


@dataclass(frozen=True)
class ManifestRow:
    name: str
    sex: str
    date_of_birth: str
    nationality: str
    document: str
    case_reference: str
    segment: SegmentView
    received_by: str


def may_see_manifests(user: Any) -> bool:
    return permissions.has_perm_anywhere(user, Perm.ARRANGE_TRAVEL) or permissions.has_perm_anywhere(
        user, Perm.RECEIVE_RETURNEE
    )


def _scope(user: Any) -> Q:
    # The host mission that books the journey, or the origin mission that receives the travellers.
    return Q(case__host_mission_id__in=permissions.mission_ids_with(user, Perm.ARRANGE_TRAVEL)) | Q(
        case__referred_to_mission_id__in=permissions.mission_ids_with(user, Perm.RECEIVE_RETURNEE)
    )


def _document(member: CaseMember) -> str:
    issued = [r for r in member.travel_documents.all() if r.status == TravelDocumentRequest.Status.ISSUED]
    if issued:
        latest = issued[-1]
        return f"{latest.get_kind_display()} {latest.number}"
    passports = [
        d
        for d in member.person.documents.all()
        if d.kind in {IdentityDocument.Kind.PASSPORT, IdentityDocument.Kind.TRAVEL_DOCUMENT}
    ]
    return f"{passports[-1].get_kind_display()} {passports[-1].number}" if passports else _("none recorded")


def arrival_manifest(user: Any, *, on: dt.date, country: str) -> list[ManifestRow]:
    """Travellers whose journey ends in ``country`` on ``on`` (the destination airport's date)."""
    country = (country or "").upper()
    start = dt.datetime.combine(on, dt.time.min, tzinfo=dt.UTC)
    travellers = CaseMember.objects.select_related("person").prefetch_related("travel_documents", "person__documents")
    itineraries = (
        with_details(
            Itinerary.objects.filter(
                _scope(user),
                status__in=[Itinerary.Status.CONFIRMED, Itinerary.Status.DEPARTED],
                case__confidential_return=False,
            )
            .annotate(last_arrival=Max("segments__arrives_at"))
            .filter(last_arrival__gte=start - _MARGIN, last_arrival__lte=start + _MARGIN)
        )
        .select_related("case")
        .prefetch_related(Prefetch("travellers", queryset=travellers, to_attr="manifest_travellers"))
    )
    rows = []
    for itinerary in itineraries:
        view = itinerary_view(itinerary)
        last = view.last
        airport = airports.lookup(last.segment.destination) if last else None
        if last is None or airport is None or airport.country != country or last.arrives.date != on:
            continue
        arrival = next((leg.leg for leg in view.legs if leg.kind == "arrival" and leg.leg), None)
        for member in itinerary.manifest_travellers:
            person = member.person
            rows.append(
                ManifestRow(
                    name=person.full_name,
                    sex=person.get_sex_display(),
                    date_of_birth=str(person.date_of_birth or "—"),
                    nationality=person.nationality.code or "—",
                    document=_document(member),
                    case_reference=itinerary.case.reference,
                    segment=last,
                    received_by=arrival.mission.name if arrival else "",
                )
            )
    rows.sort(key=lambda r: (r.segment.segment.arrives_at, r.case_reference, r.name))
    return rows
