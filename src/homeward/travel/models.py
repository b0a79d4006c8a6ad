"""Travel documents, itineraries and their segments, tickets, assistance at each leg."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.core.fields import EncryptedCharField


class TravelDocumentRequest(models.Model):
    """A travel document asked of an embassy or consulate for one traveller."""

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("passport")
        LAISSEZ_PASSER = "laissez_passer", _("laissez-passer")
        EMERGENCY_CERTIFICATE = "emergency_certificate", _("emergency travel certificate")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ISSUED = "issued", _("issued")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="travel_documents", verbose_name=_("case")
    )
    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.CASCADE, related_name="travel_documents", verbose_name=_("traveller")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The partner asked; ``authority`` keeps its name as it was then (and the text of requests made before the directory).
    embassy = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="travel_documents",
        verbose_name=_("embassy or consulate"),
    )
    authority = models.CharField(_("embassy or consulate"), max_length=150)
    requested_on = models.DateField(_("requested on"))
    expected_on = models.DateField(_("expected by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    number = EncryptedCharField(_("document number"), max_length=40, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = _("travel document request")
        verbose_name_plural = _("travel document requests")
        indexes = [models.Index(fields=["status", "expected_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class SpecialNeed(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("wheelchair")
    MEDICAL_ESCORT = "medical_escort", _("medical escort")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("unaccompanied minor")
    STRETCHER = "stretcher", _("stretcher")
    OXYGEN = "oxygen", _("oxygen")
    SPECIAL_MEAL = "special_meal", _("special meal")


class Itinerary(models.Model):
    """One booked journey of a case's travellers, from the host country to the final address."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFIRMED = "confirmed", _("confirmed")
        DEPARTED = "departed", _("departed")
        NOT_DEPARTED = "not_departed", _("not departed")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="itineraries", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    booking_reference = models.CharField(_("booking reference"), max_length=40, blank=True)
    travellers = models.ManyToManyField("cases.CaseMember", related_name="itineraries", verbose_name=_("travellers"))
    baggage_allowance = models.CharField(_("baggage allowance"), max_length=80, blank=True)
    special_needs = models.JSONField(_("special needs"), default=list, blank=True)
    escorts = models.TextField(_("escorts"), blank=True)
    onward_transport = models.TextField(_("onward transport to the final address"), blank=True)
    final_address = models.TextField(_("final address"), blank=True)
    not_departed_reason = models.TextField(_("why the traveller did not depart"), blank=True)
    # Tickets, cash and assistance booked for a departure that did not happen must be settled.
    needs_reconciliation = models.BooleanField(_("to reconcile"), default=False)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.booking_reference or self.pk}"

    def get_additional_data(self) -> dict[str, object]:
        # Special needs such as oxygen or a medical escort are medical facts.
        from homeward.travel.selectors import MEDICAL_NEEDS

        medical = bool(set(self.special_needs) & MEDICAL_NEEDS)
        return {"case_id": self.case_id, "sensitivity": "medical" if medical else "general"}


class Segment(models.Model):
    """One flight or leg. Times are stored in UTC; each airport's time zone says how to show them."""

    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveSmallIntegerField(_("order"))
    carrier = models.CharField(_("carrier"), max_length=80)
    number = models.CharField(_("flight or route number"), max_length=20)
    origin = models.CharField(_("from (IATA)"), max_length=3)
    destination = models.CharField(_("to (IATA)"), max_length=3)
    origin_tz = models.CharField(max_length=64)
    destination_tz = models.CharField(max_length=64)
    departs_at = models.DateTimeField(_("departs"))
    arrives_at = models.DateTimeField(_("arrives"))

    class Meta:
        ordering = ["itinerary", "position"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [
            models.UniqueConstraint(fields=["itinerary", "position"], name="segment_position_once"),
            models.CheckConstraint(condition=models.Q(arrives_at__gt=models.F("departs_at")), name="segment_arrives_after_it_departs"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["departs_at"])]

    def __str__(self) -> str:
        return f"{self.carrier} {self.number} {self.origin}–{self.destination}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.itinerary.case_id}


class Ticket(models.Model):
    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="tickets")
    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.CASCADE, related_name="tickets", verbose_name=_("traveller")
    )
    number = models.CharField(_("ticket number"), max_length=40)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        ordering = ["itinerary", "pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [models.UniqueConstraint(fields=["itinerary", "member"], name="one_ticket_per_traveller")]

    def __str__(self) -> str:
        return self.number

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.itinerary.case_id}


class AssistanceLeg(models.Model):
    """Help at departure, at a transit airport or on arrival, and what happened."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", _("departure")
        TRANSIT = "transit", _("transit")
        ARRIVAL = "arrival", _("arrival")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        PROVIDED = "provided", _("provided")
        NOT_PROVIDED = "not_provided", _("not provided")

    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="assistance")
    kind = models.CharField(_("where"), max_length=10, choices=Kind.choices)
    airport = models.CharField(_("airport (IATA)"), max_length=3)
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="assistance_legs", verbose_name=_("provided by")
    )
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True)
    contact = models.CharField(_("contact on the day"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.REQUESTED)
    outcome = models.TextField(_("what happened"), blank=True)

    class Meta:
        ordering = ["itinerary", "pk"]
        verbose_name = _("assistance")
        verbose_name_plural = _("assistance")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.airport}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.itinerary.case_id}


class PreDepartureCheck(models.Model):
    """The pre-embarkation check, 24–72 hours before departure. A failed check stops the departure."""

    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fit_to_travel = models.BooleanField(_("fit to travel"))
    documents_in_order = models.BooleanField(_("documents in order"))
    still_willing = models.BooleanField(_("still willing to return"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["checked_at", "pk"]
        verbose_name = _("pre-embarkation check")
        verbose_name_plural = _("pre-embarkation checks")

    def __str__(self) -> str:
        return f"{self.itinerary_id}: {'passed' if self.passed else 'failed'}"

    @property
    def passed(self) -> bool:
        return self.fit_to_travel and self.documents_in_order and self.still_willing

    def get_additional_data(self) -> dict[str, object]:
        # Fitness to travel is a medical fact: the history shows it only to those who see medical facts.
        return {"case_id": self.itinerary.case_id, "sensitivity": "medical"}


register(TravelDocumentRequest, exclude=("id", "created_at", "updated_at"))
register(Itinerary, exclude=("id", "created_at", "updated_at"), m2m_fields={"travellers"})
register(Segment, exclude=("id",))
register(Ticket, exclude=("id",))
register(AssistanceLeg, exclude=("id",))
register(PreDepartureCheck, exclude=("id",))
