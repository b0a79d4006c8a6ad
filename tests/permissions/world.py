"""The world the permission matrix runs in: two host missions with one of everything.

``OWN`` (Romania) is the mission of every user the matrix tests; ``OTHER``
(Slovakia) is another host mission, whose objects no one tested may reach.
The demo's seed gives the missions, programmes, directory, public site and a
caseload; on top of it each mission gets one household taken all the way home
through the demo journey (counselled, declared, referred, booked, flown,
arrived, planned, bought for), and whatever the journey does not make is
written straight to the tables, copied from the demo's own rows where it has
some: only its existence matters here, the pages and services have their own
tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from homeward.accounts import services as account_services
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import eligibility, referrals
from homeward.cases import services as cases
from homeward.cases.models import Case, CaseMember, CaseStatus, ReferralSource, Relationship
from homeward.demo import journey
from homeward.demo.seed import seed
from homeward.people.inputs import DocumentInput
from homeward.programmes.models import Programme
from tests.factories import UserFactory, person

OWN, OTHER = "RO", "SK"
S = CaseStatus


class _Steady:
    """A stand-in for the demo's random generator that always takes the first, smallest choice."""

    def random(self) -> float:
        return 0.0

    def randint(self, a: int, b: int) -> int:
        return a

    def choice(self, seq: Any) -> Any:
        return seq[0]

    def choices(self, population: Any, weights: Any = None, k: int = 1) -> list[Any]:
        return list(population)[:k]


@dataclass
class World:
    missions: dict[str, Mission]
    users: dict[str, User]  # one per role, a member of OWN only
    tokens: dict[str, str]  # role -> a raw API token of that user
    things: dict[str, dict[str, Any]] = field(default_factory=dict)  # side ("own"/"other") -> kind -> object
    missing: list[str] = field(default_factory=list)  # kinds the world could not build, with why


def _clone(obj: models.Model, **changes: Any) -> models.Model:
    """A copy of a demo row with ``changes`` (its mission, case, a fresh code…)."""
    model = type(obj)
    values = {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now_add", False) and not getattr(f, "auto_now", False)
    }
    for name, value in changes.items():
        f = model._meta.get_field(name)
        values[f.attname] = value.pk if isinstance(value, models.Model) and f.is_relation else value
    return model.objects.create(**values)


def _household(family: str) -> list[cases.MemberInput]:
    # A trafficking survivor, so the safeguarding checklist has items; a passport, so the case has a document.
    return [
        cases.MemberInput(
            Relationship.PRINCIPAL,
            person("Imran", family, year=1985, month=3, day=14, phone="+92 300 1234567",
                   vulnerabilities=["health_needs"]),
            [DocumentInput(kind="passport", number="AB1234567", issuing_country="PK",
                           expires_on=timezone.localdate() + dt.timedelta(days=2000))],
        ),
        cases.MemberInput(Relationship.SPOUSE, person("Ayesha", family, year=1988)),
    ]  # fmt: skip


def _helper(username: str, mission: Mission, role: str) -> User:
    return UserFactory(username=username, roles=[(mission, role)])


def _journey_home(mission: Mission, family: str, demo: dict[str, User], pk: Mission) -> Case:
    """One household of ``mission`` taken from registration to reintegration planning, with money spent."""
    code = mission.code.lower()
    counsellor = demo.get(f"counsellor.{code}") or _helper(f"crew.counsellor.{code}", mission, Role.COUNSELLOR)
    supervisor = demo.get(f"supervisor.{code}") or _helper(f"crew.supervisor.{code}", mission, Role.CASE_SUPERVISOR)
    movement = _helper(f"crew.movement.{code}", mission, Role.MOVEMENT_OFFICER)
    finance = demo.get(f"finance.{code}") or _helper(f"crew.finance.{code}", mission, Role.FINANCE_OFFICER)
    receiver, origin_supervisor, origin_finance = demo["reintegration.pk"], demo["supervisor.pk"], demo["finance.pk"]
    suppliers = list(pk.providers.order_by("pk")) if hasattr(pk, "providers") else []
    crew = journey.Crew(counsellor=counsellor, supervisor=supervisor, movement=movement, receiver=receiver,
                        finance=finance, origin_supervisor=origin_supervisor, origin_finance=origin_finance,
                        suppliers=suppliers)  # fmt: skip
    case = cases.case_register(
        acting_user=counsellor,
        host_mission=mission,
        status=S.REGISTERED,
        data=cases.CaseInput(
            destination_country="PK",
            destination_place="Lahore",
            referral_source=ReferralSource.NGO,
            counsellor=counsellor,
            legal_status="return_decision",
        ),
        members=_household(family),
    )
    eligibility.case_assess(
        acting_user=counsellor, case=case, programme=Programme.objects.filter(missions=mission).first()
    )
    rng: Any = _Steady()
    departs = timezone.localdate() - dt.timedelta(days=3)
    missions = {m.code: m for m in Mission.objects.all()}
    journey._counsel(case, crew, rng)
    journey._decide(case, crew, missions, rng, departs)
    # Referred and accepted before the declaration step, which would otherwise do it by chance.
    referral = referrals.referral_send(acting_user=supervisor, case=case, mission=pk)
    referrals.referral_accept(acting_user=receiver, referral=referral)
    case.refresh_from_db()
    journey._declare(case, crew, missions, rng, departs)
    journey._book(case, crew, missions, rng, departs)
    journey._depart(case, crew, missions, rng, departs)
    journey._arrive(case, crew, missions, rng, departs)
    journey._plan(case, crew, missions, rng, departs)
    case.refresh_from_db()
    return case


def build() -> World:
    seed(cases=40)
    demo = {u.username: u for u in User.objects.all()}
    missions = {m.code: m for m in Mission.objects.all()}
    pk = missions["PK"]
    own, other = missions[OWN], missions[OTHER]
    users = {role.value: _helper(f"matrix.{role.value}", own, role) for role in Role}
    tokens = {role: account_services.token_create(acting_user=u, user=u, name="matrix")[1] for role, u in users.items()}
    world = World(missions=missions, users=users, tokens=tokens)
    for side, mission, family in (("own", own, "Matrixown"), ("other", other, "Matrixother")):
        case = _journey_home(mission, family, demo, pk)
        world.things[side] = _things(world, side, mission, case, demo)
    return world


def _things(world: World, side: str, mission: Mission, case: Case, demo: dict[str, User]) -> dict[str, Any]:
    """Every kind of object a URL can name, for ``mission``: ``case`` and what hangs from it, and the rest."""
    from homeward.accommodation.models import Facility, Placement, WaitingEntry
    from homeward.activities.models import Activity, Enrolment
    from homeward.appointments.models import Appointment, Office
    from homeward.assistance.models import Delivery, Invoice, Provider, PurchaseOrder, Quote
    from homeward.cases.models import Referral
    from homeward.counselling.models import Declaration, Session
    from homeward.feedback.models import Feedback, FeedbackLink
    from homeward.grants.models import Grant
    from homeward.health import models as health
    from homeward.imports.models import TrackerUpload
    from homeward.jobs.models import Job
    from homeward.matching.models import NotSamePerson, PersonMerge
    from homeward.monitoring.models import Visit, VisitPhoto
    from homeward.outreach.models import Campaign, HotlineCall
    from homeward.partners.models import IncomingReferral, Partner, PartnerContact
    from homeward.people.models import IdentityDocument
    from homeward.programmes.models import BudgetLine, RuleVersion
    from homeward.public.models import Page
    from homeward.reintegration.models import Component, Plan
    from homeward.reporting.models import DonorReport
    from homeward.safeguarding.models import ChecklistItem
    from homeward.surveys.models import Instrument, Questionnaire
    from homeward.travel.models import AssistanceLeg, Itinerary, Segment, Ticket, TravelDocumentRequest
    from homeward.triage.models import Inquiry
    from homeward.work.models import Task

    t: dict[str, Any] = {"case": case, "mission": mission}
    principal = case.members.select_related("person").get(relationship=Relationship.PRINCIPAL)
    programme = case.programme or Programme.objects.filter(missions=mission).first()
    worker = case.counsellor
    today = timezone.localdate()

    def make(kind: str, fn: Any) -> None:
        try:
            with transaction.atomic():  # a failure must not break the test's transaction (PostgreSQL)
                t[kind] = fn()
        except Exception as exc:
            world.missing.append(f"{side} {kind}: {type(exc).__name__}: {exc}")

    first = lambda qs: qs.order_by("pk").first() or _none(qs)  # noqa: E731
    make("member", lambda: principal)
    make("identity_document", lambda: first(IdentityDocument.objects.filter(person=principal.person)))
    make("referral", lambda: first(Referral.objects.filter(case=case)))
    make("programme", lambda: programme)
    make("rule_version", lambda: first(RuleVersion.objects.filter(programme=programme)))
    make("budget_line", lambda: first(BudgetLine.objects.filter(programme=programme)))
    make("session", lambda: first(Session.objects.filter(case=case)))
    make("declaration", lambda: first(Declaration.objects.filter(case=case)))
    make("checklist_item", lambda: first(ChecklistItem.objects.filter(case=case)))
    make("travel_document", lambda: first(TravelDocumentRequest.objects.filter(case=case)))
    make("itinerary", lambda: first(Itinerary.objects.filter(case=case)))
    make("segment", lambda: first(Segment.objects.filter(itinerary__case=case)))
    make("ticket", lambda: first(Ticket.objects.filter(itinerary__case=case)))
    make("leg", lambda: first(AssistanceLeg.objects.filter(itinerary__case=case)))
    make("grant", lambda: first(Grant.objects.filter(case=case)))
    make("plan", lambda: first(Plan.objects.filter(case=case)))
    make("component", lambda: first(Component.objects.filter(plan__case=case)))
    make("quote", lambda: first(Quote.objects.filter(component__plan__case=case)))
    make("order", lambda: first(PurchaseOrder.objects.filter(quote__component__plan__case=case)))
    make("delivery", lambda: first(Delivery.objects.filter(component__plan__case=case)))
    make("invoice", lambda: first(Invoice.objects.filter(purchase_order__quote__component__plan__case=case)))
    make("provider", lambda: _clone(first(Provider.objects.all()), mission=mission, name=f"Supplier {mission.code}"))
    make("visit", lambda: first(Visit.objects.filter(case=case)))
    make("photo", lambda: VisitPhoto.objects.create(
        visit=t["visit"], file="matrix/photo.png", content_type="image/png", uploaded_by=worker))  # fmt: skip
    make("instrument", lambda: first(Instrument.objects.all()))
    make("questionnaire", lambda: first(Questionnaire.objects.all()))
    make("feedback_link", lambda: first(FeedbackLink.objects.filter(case=case)) if FeedbackLink.objects.filter(
        case=case).exists() else _feedback_link(case, worker))  # fmt: skip
    make("feedback", lambda: Feedback.objects.create(case=case, channel="phone", logged_by=worker,
                                                     **_feedback_fields(Feedback)))  # fmt: skip
    make("campaign", lambda: _clone(first(Campaign.objects.all()), mission=mission))
    make("call", lambda: _clone(first(HotlineCall.objects.all()), mission=mission)
         if "mission" in {f.name for f in HotlineCall._meta.fields} else first(HotlineCall.objects.all()))  # fmt: skip
    make("task", lambda: first(Task.objects.filter(case=case)))
    make("job", lambda: Job.objects.create(kind="export", title="Matrix export", owner=worker))
    make(
        "report",
        lambda: DonorReport.objects.create(
            programme=programme,
            period_start=dt.date(today.year, 1, 1),
            period_end=today,
            title="Matrix report",
            created_by=worker,
        ),
    )
    make("upload", lambda: TrackerUpload.objects.create(owner=worker, mission=mission, programme=programme,
                                                        file_name="tracker.csv", kind="csv"))  # fmt: skip
    make("partner", lambda: first(Partner.objects.filter(mission=mission)))
    make("partner_contact", lambda: PartnerContact.objects.create(partner=t["partner"], name="Matrix contact"))
    make("incoming_referral", lambda: IncomingReferral.objects.create(
        case=case, partner=t["partner"], referred_on=today, recorded_by=worker))  # fmt: skip
    make("inquiry", lambda: _clone(first(Inquiry.objects.all()), mission=mission, code=f"MX{mission.code}01",
                                   case=None, assigned_to=None))  # fmt: skip
    make("office", lambda: first(Office.objects.filter(mission=mission)))
    make("worker", lambda: worker)  # the case's counsellor, who counsels at the office
    make("appointment", lambda: _clone(first(Appointment.objects.all()), office=t["office"],
                                       inquiry=t["inquiry"]))  # fmt: skip
    make("facility", lambda: _clone(first(Facility.objects.all()), mission=mission, name=f"Centre {mission.code}"))
    make("placement", lambda: Placement.objects.create(case=case, member=principal, facility=t["facility"],
                                                       room_type="family", checked_in_on=today,
                                                       placed_by=worker))  # fmt: skip
    make("waiting", lambda: _waiting(WaitingEntry, case, principal, t["facility"], worker, today))
    make("activity", lambda: _clone(first(Activity.objects.all()), mission=mission)
         if "mission" in {f.name for f in Activity._meta.fields} else first(Activity.objects.all()))  # fmt: skip
    make("enrolment", lambda: _clone(first(Enrolment.objects.all()), activity=t["activity"], member=principal)
         if "member" in {f.name for f in Enrolment._meta.fields} else first(Enrolment.objects.all()))  # fmt: skip
    make("page", lambda: _page(Page, mission))
    make("ack", lambda: _ack(mission))
    make("health_appointment", lambda: health.MedicalAppointment.objects.create(
        case=case, member=principal, recorded_by=worker, when=timezone.now(), purpose="Check-up"))  # fmt: skip
    make(
        "health_referral",
        lambda: health.MedicalReferral.objects.create(
            case=case, member=principal, recorded_by=worker, referred_to="Clinic", reason="Check", referred_on=today
        ),
    )
    make("health_cost", lambda: health.HealthCost.objects.create(
        case=case, member=principal, recorded_by=worker, what="Consultation", amount=Decimal("40.00"),
        currency="EUR", incurred_on=today, budget_line=t["budget_line"]))  # fmt: skip
    make("health_cost_committed", lambda: _committed_cost(case, principal, worker, today, t["budget_line"]))
    make("consent", lambda: _consent(case, principal, worker, today))
    make("person_pair", lambda: _pair(case, worker))
    make("not_same", lambda: NotSamePerson.objects.create(first_id=t["person_pair"][0], second_id=t["person_pair"][1],
                                                          decided_by=worker))  # fmt: skip
    make("merge", lambda: PersonMerge.objects.create(survivor_id=t["person_pair"][0], merged_id=t["person_pair"][1],
                                                     reason="Matrix", merged_by=worker))  # fmt: skip
    return t


def _none(qs: Any) -> Any:
    raise LookupError(f"no {qs.model._meta.label} to use")


def _feedback_link(case: Case, by: User) -> Any:
    from homeward.feedback.services import feedback_link_for

    return feedback_link_for(case, acting_user=by)


def _feedback_fields(model: Any) -> dict[str, Any]:
    names = {f.name for f in model._meta.fields}
    return {k: v for k, v in {"message": "Thank you", "text": "Thank you", "body": "Thank you"}.items() if k in names}


def _page(model: Any, mission: Mission) -> Any:
    """A published page of the mission with an English translation (the site shows it to anyone)."""
    page = model.objects.filter(mission=mission, published=True, translations__language="en").first()
    if page is None:
        source = model.objects.filter(published=True, translations__language="en").order_by("pk").first()
        page = _clone(source, mission=mission, slug=f"matrix-{mission.code.lower()}", published=True)
        for translation in source.translations.all():
            _clone(translation, page=page)
    return page


def _ack(mission: Mission) -> Any:
    """The signed token of the page thanking someone who applied through the public site."""
    from types import SimpleNamespace

    from django.core import signing

    from homeward.public.views import ACK_SALT

    return SimpleNamespace(token=signing.dumps({"m": mission.code, "c": "MX0001"}, salt=ACK_SALT, compress=True))


def _committed_cost(case: Case, member: CaseMember, by: User, today: dt.date, line: Any) -> Any:
    """A health cost a supervisor of the case's mission has committed: one a finance officer may pay."""
    from homeward.health import services as health_services
    from homeward.health.models import HealthCost

    cost = HealthCost.objects.create(case=case, member=member, recorded_by=by, what="Medicine",
                                     amount=Decimal("10.00"), currency=line.currency, incurred_on=today, budget_line=line)  # fmt: skip
    supervisor = (
        User.objects.filter(memberships__mission=case.host_mission, memberships__role=Role.CASE_SUPERVISOR)
        .order_by("pk")
        .first()
    )
    return health_services.cost_commit(acting_user=supervisor, cost=cost, override_reason="Matrix")


def _consent(case: Case, member: CaseMember, by: User, today: dt.date) -> Any:
    from homeward.privacy.models import Consent

    standing = Consent.objects.filter(case=case).order_by("pk").first()
    if standing is not None:
        return standing
    return Consent.objects.create(case=case, member=member, purpose=Consent._meta.get_field("purpose").choices[0][0],
                                  how=Consent._meta.get_field("how").choices[0][0], given_on=today,
                                  recorded_by=by)  # fmt: skip


def _waiting(model: Any, case: Case, member: CaseMember, facility: Any, by: User, today: dt.date) -> Any:
    entry = model.objects.create(case=case, facility=facility, room_type="family", requested_on=today, created_by=by)
    entry.members.add(member)
    return entry


def _pair(case: Case, by: User) -> tuple[int, int]:
    """Two persons of ``case`` in id order (matching pages take the smaller first)."""
    ids = sorted(case.members.values_list("person_id", flat=True))[:2]
    return ids[0], ids[1]


# --- Filling URLs -------------------------------------------------------------------------------
# Which kind of object each URL keyword names. A keyword means the same everywhere unless the URL
# name (or its namespace) says otherwise: ``pk`` is a task in work:, a partner in partners:, …
# A value is a kind of ``World.things`` (its pk is used), or ``(kind, attribute)``.
KWARGS: dict[str, Any] = {
    "reference": ("case", "reference"),
    "case_id": "case",
    "case": ("case", "reference"),  # the health API names the case by its reference
    "member_id": "member",
    "person_id": ("member", "person_id"),
    "consent_id": "consent",
    "document_id": "identity_document",
    "referral_id": "referral",
    "programme_id": "programme",
    "version_id": "rule_version",
    "line_id": "budget_line",
    "session_id": "session",
    "declaration_id": "declaration",
    "item_id": "checklist_item",
    "itinerary_id": "itinerary",
    "segment_id": "segment",
    "ticket_id": "ticket",
    "leg_id": "leg",
    "provider_id": "provider",
    "component_id": "component",
    "quote_id": "quote",
    "order_id": "order",
    "delivery_id": "delivery",
    "invoice_id": "invoice",
    "grant_id": "grant",
    "plan_id": "plan",
    "visit_id": "visit",
    "photo_id": "photo",
    "instrument_id": "instrument",
    "code": ("questionnaire", "code"),
    "token": ("feedback_link", "token"),
    "feedback_id": "feedback",
    "campaign_id": "campaign",
    "call_id": "call",
    "task_id": "task",
    "job_id": "job",
    "report_id": "report",
    "partner_id": "partner",
    "contact_id": "partner_contact",
    "inquiry_id": "inquiry",
    "appointment_id": "appointment",
    "placement_id": "placement",
    "activity_id": "activity",
    "merge_id": "merge",
    "decision_id": "not_same",
    "page_id": "page",
    "a": ("person_pair", 0),
    "b": ("person_pair", 1),
    "action": "=start",  # a literal: one of the component actions
    "source": "=cases",  # a literal: the export source that holds names (needs VIEW_CASE)
    "lang": "=en",
    "slug": ("page", "slug"),
}
# By URL name or namespace (the longest match wins), where a keyword names something else.
KWARGS_BY_NAME: dict[str, dict[str, Any]] = {
    "travel:": {"document_id": "travel_document"},
    "cases:referral_": {"pk": "referral"},
    "programmes:": {"pk": "programme"},
    "outreach:": {"pk": "campaign"},
    "outreach:call_to_inquiry": {"pk": "call"},
    "work:": {"pk": "task"},
    "jobs:": {"pk": "job"},
    "reporting:": {"pk": "programme"},
    "imports:": {"pk": "upload"},
    "partners:": {"pk": "partner", "referral_id": "incoming_referral"},
    "triage:": {"pk": "inquiry"},
    "appointments:": {"pk": "appointment"},
    "appointments:office": {"pk": "office"},
    "accommodation:": {"pk": "facility"},
    "accommodation:check_out": {"pk": "placement"},
    "accommodation:waiting_remove": {"pk": "waiting"},
    "health:appointment_update": {"pk": "health_appointment"},
    "health:referral_update": {"pk": "health_referral"},
    "health:cost": {"pk": "health_cost"},
    "health:cost_pay": {"pk": "health_cost_committed"},
    "activities:": {"pk": "activity"},
    "activities:complete": {"pk": "enrolment"},
    "activities:drop": {"pk": "enrolment"},
    "matching:not_same_undo": {"pk": "not_same"},
    "matching:merge": {"pk": "merge"},
    "public:": {"code": ("mission", "code")},
    "public:ack": {"token": ("ack", "token")},
    "accounts:token_revoke": {"token_id": "token"},
}


# Query strings some pages need to do anything at all (without one, booking only redirects to the calendar).
QUERY: dict[str, dict[str, Any]] = {
    "appointments:book": {"case": ("case", "reference")},
}


def query(world: World, side: str, name: str) -> str:
    """``?key=value`` for the pages in ``QUERY``, from ``side``'s objects; "" for the others."""
    from urllib.parse import urlencode

    wanted = QUERY.get(name, {})
    return (
        "?" + urlencode({k: getattr(world.things[side][kind], attr) for k, (kind, attr) in wanted.items()})
        if wanted
        else ""
    )


# Fields of an API body that name something of a mission: filled from the side's objects, so that a
# write is refused (or let through) for who the caller is, not for an unknown mission or member.
BODY_FIELDS: dict[str, Any] = {
    "mission": ("mission", "code"),
    "host_mission": ("mission", "code"),
    "member": ("member", "pk"),
    "member_id": ("member", "pk"),
    "signatories": [("member", "pk")],
    # Ids the schema samples as 1 would name whatever row has that id (not the same on every database).
    "programme_id": ("programme", "pk"),
    "provider": ("provider", "pk"),
    "purchase_order": ("order", "pk"),
    "survivor": ("member", "person_id"),
    "merged": ("member", "person_id"),
    "first": ("member", "person_id"),
    "second": ("member", "person_id"),
}
# Fields an operation needs that its schema leaves optional.
BODY_EXTRA: dict[str, dict[str, Any]] = {
    "POST /partners": {"mission": ("mission", "code")},
    # One of inquiry, call or case (none is required by the schema), at the mission's office, with its counsellor.
    "POST /appointments": {
        "case_reference": ("case", "reference"),
        "office_id": ("office", "pk"),
        "counsellor_id": ("worker", "pk"),
    },
}


def body_for(world: World, side: str, body: dict[str, Any], key: str = "") -> dict[str, Any]:
    """``body`` with its ``BODY_FIELDS`` (and ``key``'s ``BODY_EXTRA``) filled from ``side``'s objects."""
    out = dict(body)
    for name, (kind, attr) in BODY_EXTRA.get(key, {}).items():
        out[name] = getattr(world.things[side][kind], attr)
    for name, spec in BODY_FIELDS.items():
        if name in out:
            many = isinstance(spec, list)
            kind, attr = spec[0] if many else spec
            value = getattr(world.things[side][kind], attr)
            out[name] = [value] if many else value
    return out


def kind_for(name: str, kwarg: str) -> Any:
    """What ``kwarg`` of the URL named ``name`` (``ns:name``, or an API operation's key) names."""
    best = ""
    for prefix, mapping in KWARGS_BY_NAME.items():
        if name.startswith(prefix) and kwarg in mapping and len(prefix) > len(best):
            best = prefix
    if best:
        return KWARGS_BY_NAME[best][kwarg]
    if kwarg not in KWARGS:
        raise KeyError(f"the world does not know what {kwarg!r} names in {name}: add it to KWARGS in world.py")
    return KWARGS[kwarg]


def fill(world: World, side: str, name: str, kwargs: list[str], user: User | None) -> dict[str, Any]:
    """Values for ``kwargs`` from ``side``'s objects; a token is the requesting user's own."""
    out: dict[str, Any] = {}
    for kwarg in kwargs:
        kind = kind_for(name, kwarg)
        if kind == "token":  # one's own token: another user's would be another test
            from homeward.accounts.models import ApiToken

            owner = user or next(iter(world.users.values()))
            token = ApiToken.objects.filter(user=owner).order_by("pk").first()
            out[kwarg] = token.pk if token else 0
            if side == "other":  # another user's token: nobody may revoke it
                out[kwarg] = ApiToken.objects.exclude(user=owner).order_by("pk").values_list("pk", flat=True).first()
            continue
        if isinstance(kind, str) and kind.startswith("="):
            out[kwarg] = kind[1:]
            continue
        kind, attr = kind if isinstance(kind, tuple) else (kind, "pk")
        things = world.things[side]
        if kind not in things:
            raise LookupError(f"the world has no {kind} ({side} mission) for {name}: see world.missing")
        value = things[kind]
        out[kwarg] = value[attr] if isinstance(attr, int) else getattr(value, attr)
    return out
