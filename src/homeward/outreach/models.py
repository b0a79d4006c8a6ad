"""Outreach before any case exists: campaigns, information sessions, materials, meetings, the hotline,
and how each case's people heard of the programme (``CaseSource``), which ties the two together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Mission
from homeward.cases.models import Case
from homeward.core.audit import register


class Campaign(models.Model):
    """An information campaign a mission runs for one programme over a period."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+", verbose_name=_("mission"))
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "name", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="campaign_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name


class VenueKind(models.TextChoices):
    ASYLUM_FACILITY = "asylum_facility", _("asylum facility")
    DETENTION_FACILITY = "detention_facility", _("detention facility")
    COMMUNITY_VENUE = "community_venue", _("community venue")
    ONLINE = "online", _("online")
    OTHER = "other", _("other")


class InfoSession(models.Model):
    """An information session of a campaign, with who came by sex and age group."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    venue_kind = models.CharField(_("where"), max_length=20, choices=VenueKind.choices)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    girls = models.PositiveIntegerField(_("girls"), default=0)
    boys = models.PositiveIntegerField(_("boys"), default=0)
    other_participants = models.PositiveIntegerField(_("other or unknown"), default=0)
    interpreters = models.PositiveIntegerField(_("interpreters"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    PARTICIPANT_FIELDS = ("women", "men", "girls", "boys", "other_participants")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("information session")
        verbose_name_plural = _("information sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_venue_kind_display()} {self.venue_name}".strip()

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in self.PARTICIPANT_FIELDS)


class MaterialDistribution(models.Model):
    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("leaflet")
        POSTER = "poster", _("poster")
        VIDEO = "video", _("video")
        RADIO_SPOT = "radio_spot", _("radio spot")
        SOCIAL_MEDIA = "social_media_post", _("social media post")
        OTHER = "other", _("other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    distributed_on = models.DateField(_("distributed on"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-distributed_on", "-pk"]
        verbose_name = _("materials distributed")
        verbose_name_plural = _("materials distributed")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_kind_display()}"


class OutreachMeeting(models.Model):
    class WithWhom(models.TextChoices):
        COMMUNITY = "migrant_community", _("migrant community")
        AUTHORITY = "authority", _("authority")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    with_whom = models.CharField(_("with"), max_length=20, choices=WithWhom.choices)
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("E.g. the border and alien police department.")
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("outreach meeting")
        verbose_name_plural = _("outreach meetings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.organisation or self.get_with_whom_display()}"


class HotlineCall(models.Model):
    """One call to a mission's hotline; it may become an inquiry case (``case``)."""

    class CallerKind(models.TextChoices):
        MIGRANT = "migrant", _("migrant")
        RELATIVE = "relative", _("relative")
        NGO = "ngo", _("NGO")
        AUTHORITY = "authority", _("authority")
        OTHER = "other", _("other")

    class Topic(models.TextChoices):
        RETURN_PROCESS = "return_process", _("return process")
        ELIGIBILITY = "eligibility", _("eligibility")
        DOCUMENTS = "documents", _("documents")
        REINTEGRATION = "reintegration", _("reintegration")
        TRAVEL = "travel", _("travel")
        OTHER = "other", _("other")

    class Outcome(models.TextChoices):
        INFORMATION = "information_given", _("information given")
        REFERRED = "referred_to_counselling", _("referred to counselling")
        APPOINTMENT = "appointment_made", _("appointment made")
        INQUIRY = "inquiry_opened", _("inquiry case opened")
        NONE = "no_follow_up", _("no follow-up")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+", verbose_name=_("mission"))
    received_at = models.DateTimeField(_("received at"))
    caller_kind = models.CharField(_("caller"), max_length=12, choices=CallerKind.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    interpreter = models.BooleanField(_("interpreter by conference call"), default=False)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=32, blank=True)
    # What a case cannot be opened without (Case.destination_country); asked on the phone when it comes up.
    destination_country = CountryField(_("country of return"), blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="hotline_calls", verbose_name=_("case")
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        indexes = [models.Index(fields=["mission", "received_at"])]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.get_caller_kind_display()}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id} if self.case_id else {}


class HowHeard(models.TextChoices):
    SESSION = "information_session", _("information session")
    HOTLINE = "hotline", _("hotline")
    NGO = "ngo", _("NGO")
    FRIEND = "friend_or_relative", _("friend or relative")
    WEBSITE = "website", _("website")
    SOCIAL_MEDIA = "social_media", _("social media")
    AUTHORITY = "authority", _("authority")
    OTHER = "other", _("other")


class CaseSource(models.Model):
    """How the people of a case heard of the programme, linked to the session or call where known."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outreach_source")
    how = models.CharField(_("heard of the programme through"), max_length=24, choices=HowHeard.choices)
    session = models.ForeignKey(
        InfoSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="sources",
        verbose_name=_("information session"),
    )  # fmt: skip
    call = models.ForeignKey(
        HotlineCall, on_delete=models.SET_NULL, null=True, blank=True, related_name="sources",
        verbose_name=_("hotline call"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("how the case heard of the programme")
        verbose_name_plural = _("how cases heard of the programme")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.how}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


register(Campaign, exclude=("id", "created_at"))
register(InfoSession, exclude=("id", "recorded_at"))
register(MaterialDistribution)
register(OutreachMeeting)
register(HotlineCall)
register(CaseSource, exclude=("id", "set_at"))
