"""Evidence a case needs on its way home, written straight to the tables so workflow tests read short.

The pages and services that record this evidence have their own tests; here
we only need it to exist, so each helper says in one line what the guard sees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases import eligibility, services
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.counselling.models import Declaration, Session
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from homeward.safeguarding.models import ChecklistItem
from homeward.safeguarding.selectors import missing_items
from homeward.travel.models import AssistanceLeg, Itinerary, PreDepartureCheck, Segment, Ticket, TravelDocumentRequest

S = CaseStatus


def programme(*, approval: bool = False) -> Programme:
    eligibility_rules: dict[str, Any] = {
        "legal_status": {"accepted": ["protection_rejected", "return_decision"]},
    }
    if approval:
        eligibility_rules["authority_approval"] = {"authority": "Ministry of Migration", "required": True}
    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": "GR/TEST", "name": "Greece test", "donor": "EEA", "missions": ["GR"],
                          "currency": "EUR", "start": "2024-01-01", "end": "2030-12-31"},
            "rules": [{"effective_from": "2024-01-01", "eligibility": eligibility_rules}],
        },
    )  # fmt: skip


def assess(case: Case, user: User, prog: Programme) -> None:
    eligibility.case_assess(acting_user=user, case=case, programme=prog)


def move(case: Case, user: User, to: str, note: str = "", **details: str) -> Transition:
    return services.case_transition(acting_user=user, case=case, to=to, note=note, details=details)


def counsel(
    case: Case, user: User, *, mode: str = "in_person", decided: bool = True, on: dt.date | None = None
) -> Session:
    session = Session.objects.create(
        case=case,
        held_on=on or timezone.localdate(),
        counsellor=user,
        mode=mode,
        language="ur",
        topics=["return_process", "reintegration"],
        outcome="wants_to_return" if decided else "continue",
        informed_decision=decided,
    )
    session.attendees.set(case.members.all())
    return session


def declare(case: Case, user: User, *, signed_by: list[Any] | None = None, scan: bool = True) -> Declaration:
    declaration = Declaration.objects.create(
        case=case, language="en", consent_processing=True, consent_sharing=True, generated_by=user
    )
    if scan:
        declaration.scan.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
        declaration.signed_on = timezone.localdate()
        declaration.save()
    adults = [m for m in case.members.select_related("person") if m.relationship in ("principal", "spouse")]
    declaration.signatories.set(adults if signed_by is None else signed_by)
    return declaration


def issue_documents(case: Case, user: User, *, expires: dt.date = dt.date(2031, 1, 1)) -> None:
    """A laissez-passer for every member without a passport."""
    for member in case.members.select_related("person"):
        if not member.person.documents.filter(kind="passport").exists():
            TravelDocumentRequest.objects.create(
                case=case, member=member, kind="laissez_passer", authority="Embassy of Pakistan, Athens",
                requested_on=timezone.localdate(), status="issued", issued_on=timezone.localdate(),
                number=f"LP{member.pk:06d}", expires_on=expires, created_by=user,
            )  # fmt: skip


def book(
    case: Case, user: User, *, departs_in: dt.timedelta = dt.timedelta(days=2), confirmed: bool = True
) -> Itinerary:
    """Athens–Istanbul–Islamabad, with a ticket for everyone and transit assistance."""
    itinerary = Itinerary.objects.create(
        case=case, status="confirmed" if confirmed else "draft", booking_reference="ABC123", created_by=user
    )
    itinerary.travellers.set(case.members.all())
    start = timezone.now() + departs_in
    legs = [("ATH", "IST", "Europe/Athens", "Europe/Istanbul", start, start + dt.timedelta(hours=2)),
            ("IST", "ISB", "Europe/Istanbul", "Asia/Karachi", start + dt.timedelta(hours=4), start + dt.timedelta(hours=9))]  # fmt: skip
    for n, (origin, destination, otz, dtz, departs, arrives) in enumerate(legs, start=1):
        Segment.objects.create(itinerary=itinerary, position=n, carrier="Turkish Airlines", number=f"TK{n}",
                               origin=origin, destination=destination, origin_tz=otz, destination_tz=dtz,
                               departs_at=departs, arrives_at=arrives)  # fmt: skip
    for member in case.members.all():
        Ticket.objects.create(itinerary=itinerary, member=member, number=f"235{member.pk:010d}",
                              cost=Decimal("420.00"), currency="EUR")  # fmt: skip
    AssistanceLeg.objects.create(itinerary=itinerary, kind="transit", airport="IST",
                                 mission=Mission.objects.get(code="GR"), status="confirmed")  # fmt: skip
    return itinerary


def safeguard(case: Case, user: User) -> None:
    for required in missing_items(case):
        ChecklistItem.objects.create(case=case, member=required.member, vulnerability=required.vulnerability,
                                     item=required.item, evidence="on file", done_on=timezone.localdate(),
                                     done_by=user)  # fmt: skip


def check(itinerary: Itinerary, user: User, *, passed: bool = True, at: dt.datetime | None = None) -> PreDepartureCheck:
    return PreDepartureCheck.objects.create(
        itinerary=itinerary, checked_at=at or timezone.now(), checked_by=user,
        fit_to_travel=True, documents_in_order=True, still_willing=passed,
    )  # fmt: skip


def set_status(case: Case, status: str) -> Case:
    """Put a case in a state directly, for tests about leaving it."""
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


def refer(case: Case, supervisor: User, mission: Mission, receiver: User | None = None) -> Any:
    """Declare the return (if need be), send the referral and, given a receiver, have it accepted."""
    from homeward.cases import referrals

    if case.status not in referrals.REFERABLE:
        set_status(case, S.RETURN_DECLARED)
    referral = referrals.referral_send(acting_user=supervisor, case=case, mission=mission)
    if receiver is not None:
        referrals.referral_accept(acting_user=receiver, referral=referral)
    case.refresh_from_db()
    return referral


def referred(case: Case, supervisor: User, mission: Mission) -> Case:
    """The case sent to ``mission`` and accepted there by one of its reintegration officers."""
    from homeward.accounts.roles import Role
    from tests.factories import UserFactory

    receiver = User.objects.filter(memberships__mission=mission, memberships__role=Role.REINTEGRATION_OFFICER).first()
    receiver = receiver or UserFactory(
        username=f"receiver.{mission.code.lower()}", roles=[(mission, Role.REINTEGRATION_OFFICER)]
    )
    refer(case, supervisor, mission, receiver)
    return case
