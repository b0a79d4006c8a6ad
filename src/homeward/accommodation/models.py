"""Pre-departure accommodation: facilities with beds by room type, who stays where, and who waits for a bed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register


class RoomType(models.TextChoices):
    SINGLE_MEN = "single_men", _("single men")
    SINGLE_WOMEN = "single_women", _("single women")
    FAMILY = "family", _("family")
    ACCESSIBLE = "accessible", _("accessible")
    MOTHER_AND_CHILD = "mother_and_child", _("mother and child")


class Facility(models.Model):
    """A place where applicants stay until they leave: an open centre, a partner's shelter, a hotel."""

    class Kind(models.TextChoices):
        OPEN_CENTRE = "open_centre", _("open centre")
        SHELTER = "shelter", _("shelter")
        HOTEL = "hotel", _("hotel")
        OTHER = "other", _("other")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="facilities",
        verbose_name=_("run by partner"),
    )  # fmt: skip
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="facility_name_once_per_mission")]

    def __str__(self) -> str:
        return self.name


class RoomCapacity(models.Model):
    """How many beds a facility has of one room type; the row check-ins lock to take a bed."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("facility")
    )
    room_type = models.CharField(_("room type"), max_length=20, choices=RoomType.choices)
    beds = models.PositiveSmallIntegerField(_("beds"))

    class Meta:
        ordering = ["facility", "room_type"]
        verbose_name = _("room capacity")
        verbose_name_plural = _("room capacities")
        constraints = [
            models.UniqueConstraint(fields=["facility", "room_type"], name="capacity_once_per_room_type"),
            models.CheckConstraint(condition=models.Q(beds__gt=0), name="capacity_has_beds"),
        ]

    def __str__(self) -> str:
        return f"{self.facility}: {self.get_room_type_display()} ({self.beds})"


class EndReason(models.TextChoices):
    DEPARTURE = "departure", _("departure")
    WAY_OUT = "way_out", _("withdrawal or other way out")
    MOVED = "moved", _("moved to another facility")
    LEFT = "left", _("left the facility")
    OTHER = "other", _("other")


class Placement(models.Model):
    """One member's stay in a facility: a family is one placement per member. Open while not checked out."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="placements", verbose_name=_("case"))
    # PROTECT: a stay is part of the case's record; removing the member must not free the bed unseen.
    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.PROTECT, related_name="placements", verbose_name=_("member")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="placements", verbose_name=_("facility")
    )
    room_type = models.CharField(_("room type"), max_length=20, choices=RoomType.choices)
    checked_in_on = models.DateField(_("checked in on"))
    expected_check_out_on = models.DateField(_("expected check-out"), null=True, blank=True)
    checked_out_on = models.DateField(_("checked out on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=12, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note on leaving"), max_length=300, blank=True)
    reason = models.TextField(_("reason for the placement"), blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("checked out by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-checked_in_on", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [models.Index(fields=["facility", "room_type", "checked_out_on"])]
        constraints = [
            # The database's guard behind the service's message: one bed per person at a time.
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(checked_out_on__isnull=True), name="one_open_placement_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(checked_out_on__isnull=True)
                | models.Q(checked_out_on__gte=models.F("checked_in_on")),
                name="placement_check_out_after_check_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.facility_id} from {self.checked_in_on}"

    @property
    def is_open(self) -> bool:
        return self.checked_out_on is None

    def get_additional_data(self) -> dict[str, object]:
        # The reason may say why someone is vulnerable: the case history shows it only to those who see every kind.
        # So may a note on leaving typed by staff (an automatic end notes only the case's move).
        typed_note = self.end_note and self.end_reason not in (EndReason.DEPARTURE, EndReason.WAY_OUT)
        return {"case_id": self.case_id, **({"sensitivity": "protection"} if self.reason or typed_note else {})}


class WaitingEntry(models.Model):
    """Members of a case waiting for a bed; the board orders them by vulnerability, then by waiting time."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        PLACED = "placed", _("placed")
        REMOVED = "removed", _("removed")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="waiting_entries", verbose_name=_("case")
    )
    members = models.ManyToManyField("cases.CaseMember", related_name="waiting_entries", verbose_name=_("members"))
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="waiting_entries",
        verbose_name=_("preferred facility"),
    )  # fmt: skip
    room_type = models.CharField(_("room type"), max_length=20, choices=RoomType.choices)
    requested_on = models.DateField(_("requested on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.WAITING)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        indexes = [models.Index(fields=["status", "requested_on"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.room_type} since {self.requested_on}"

    def get_additional_data(self) -> dict[str, object]:
        # A note may say why someone needs a bed first: as for a placement's reason.
        return {"case_id": self.case_id, **({"sensitivity": "protection"} if self.note else {})}


# Facilities and capacities hold no personal data, but they are audited all the same: a bed
# taken away or a shelter closed changes where people sleep, and who did it should show.
register(Facility, exclude=("id", "created_at"))
register(RoomCapacity)
register(Placement, exclude=("id", "created_at"))
register(WaitingEntry, exclude=("id", "created_at"), m2m_fields={"members"})
