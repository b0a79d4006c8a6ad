"""Demo outreach: a campaign per host mission with sessions, materials and hotline calls over a year.

Recorded through the outreach services, so the funnel, the reports and the dashboards have
figures to show. Numbers are made up and the campaign says so.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.outreach import services
from homeward.outreach.models import HotlineCall, MaterialDistribution, VenueKind
from homeward.programmes.models import Programme

VENUES = {
    VenueKind.ASYLUM_FACILITY: "Reception and identification centre",
    VenueKind.DETENTION_FACILITY: "Pre-removal detention centre",
    VenueKind.COMMUNITY_VENUE: "Community centre",
}


def outreach(missions: dict[str, Mission], users: dict[str, User], rng: random.Random) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=360)
    for code in ("GR", "RO"):
        mission, supervisor = missions[code], users[f"supervisor.{code.lower()}"]
        programme = Programme.objects.filter(missions=mission, start__lte=start).order_by("code").first()
        if programme is None:
            continue
        campaign = services.campaign_create(
            acting_user=supervisor, mission=mission,
            data=services.CampaignInput(programme=programme, name="Information on voluntary return (demo)",
                                        start=start, end=today, description="Demo figures, not real."),
        )  # fmt: skip
        for _ in range(rng.randint(10, 16)):
            venue = rng.choice(list(VENUES))
            services.session_record(
                acting_user=supervisor, campaign=campaign,
                data=services.SessionInput(
                    held_on=start + dt.timedelta(days=rng.randrange(360)), venue_kind=venue, venue_name=VENUES[venue],
                    languages=rng.sample(["ar", "fa", "ur", "en", "fr"], 2), women=rng.randint(0, 12),
                    men=rng.randint(3, 25), girls=rng.randint(0, 4), boys=rng.randint(0, 4),
                    interpreters=rng.randint(0, 2),
                ),
            )  # fmt: skip
        for _ in range(rng.randint(4, 8)):
            services.material_record(
                acting_user=supervisor, campaign=campaign,
                data=services.MaterialInput(kind=rng.choice(MaterialDistribution.Kind.values[:2]),
                                            quantity=rng.choice([50, 100, 200, 250]),
                                            distributed_on=start + dt.timedelta(days=rng.randrange(360)),
                                            language=rng.choice(["ar", "fa", "ur", "en"])),
            )  # fmt: skip
        counsellor = users[f"counsellor.{code.lower()}"]
        tz = timezone.get_current_timezone()
        for _ in range(rng.randint(25, 40)):
            day = start + dt.timedelta(days=rng.randrange(360))
            services.call_log(
                acting_user=counsellor, mission=mission,
                data=services.CallInput(
                    received_at=dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])),
                                                    tzinfo=tz),
                    caller_kind=rng.choice(HotlineCall.CallerKind.values), topic=rng.choice(HotlineCall.Topic.values),
                    outcome=rng.choice([HotlineCall.Outcome.INFORMATION, HotlineCall.Outcome.REFERRED,
                                        HotlineCall.Outcome.NONE]),
                    language=rng.choice(["ar", "fa", "ur", "en"]),
                ),
            )  # fmt: skip
