"""Health care before departure: medical appointments, referrals, medicines, the fit-to-travel
examination and what it all costs.

Every record is a medical fact (``Sensitivity.MEDICAL``): only users who may see medical facts
on the case read or write it (``health.selectors.may_read``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.roles import Sensitivity
from homeward.core.audit import register
from homeward.core.fields import EncryptedTextField


class HealthRecord(models.Model):
    """What every health record has: the case, the member it is about, who recorded it and when."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    # PROTECT: medical history and booked costs stay with the case; removing the member must not erase them.
    member = models.ForeignKey("cases.CaseMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, object]:
        # The case's history leaves medical entries out for who may not see them (cases.selectors.case_history).
        return {"case_id": self.case_id, "sensitivity": Sensitivity.MEDICAL.value}


class MedicalAppointment(HealthRecord):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ATTENDED = "attended", _("attended")
        MISSED = "missed", _("missed")
        CANCELLED = "cancelled", _("cancelled")

    when = models.DateTimeField(_("when"))
    # A health partner of the mission, or a provider named in words.
    provider = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("provider"),
    )  # fmt: skip
    provider_name = models.CharField(_("provider (not in the directory)"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=250)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["when", "pk"]
        verbose_name = _("medical appointment")
        verbose_name_plural = _("medical appointments")

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.purpose}"

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id else self.provider_name


class MedicalReferral(HealthRecord):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        COMPLETED = "completed", _("completed")

    referred_to = models.CharField(_("referred to"), max_length=200)
    reason = EncryptedTextField(_("reason"))
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SENT)
    answer = EncryptedTextField(_("answer"), blank=True)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("medical referral")
        verbose_name_plural = _("medical referrals")

    def __str__(self) -> str:
        return f"{self.referred_on} → {self.referred_to}"


class Medicine(HealthRecord):
    name = models.CharField(_("medicine"), max_length=200)
    dosage = models.CharField(_("dosage"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    supplied_on = models.DateField(_("supplied on"))
    for_journey = models.BooleanField(_("for the journey"), default=False)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["supplied_on", "pk"]
        verbose_name = _("medicine")
        verbose_name_plural = _("medicines")

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class FitToTravelExam(HealthRecord):
    class Result(models.TextChoices):
        FIT = "fit", _("fit to travel")
        FIT_WITH_ESCORT = "fit_with_escort", _("fit to travel with a medical escort")
        UNFIT = "unfit", _("unfit to travel")

    examined_on = models.DateField(_("examined on"))
    examiner = models.CharField(_("examiner"), max_length=200)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = EncryptedTextField(_("conditions and notes"), blank=True)

    class Meta:
        ordering = ["examined_on", "pk"]
        verbose_name = _("fit-to-travel examination")
        verbose_name_plural = _("fit-to-travel examinations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("examined_on")),
                name="fit_exam_valid_after_examined",
            )
        ]

    def __str__(self) -> str:
        return f"{self.examined_on}: {self.result}"

    @property
    def is_fit(self) -> bool:
        return self.result != self.Result.UNFIT


class HealthCost(HealthRecord):
    """A cost of care, booked on a budget line of the case's programme (``source`` ``health:<id>``)."""

    what = models.CharField(_("what"), max_length=250)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    incurred_on = models.DateField(_("incurred on"))
    budget_line = models.ForeignKey(
        "programmes.BudgetLine", on_delete=models.PROTECT, related_name="+", verbose_name=_("budget line")
    )
    # Empty while the cost waits for a supervisor to commit it.
    commitment = models.ForeignKey(
        "assistance.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("commitment"),
    )  # fmt: skip
    payment = models.ForeignKey(
        "assistance.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("payment"),
    )  # fmt: skip

    class Meta:
        ordering = ["incurred_on", "pk"]
        verbose_name = _("health cost")
        verbose_name_plural = _("health costs")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="health_cost_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @property
    def source(self) -> str:
        return f"health:{self.pk}"

    @property
    def state(self) -> str:
        if self.payment_id:
            return "paid"
        return "committed" if self.commitment_id else "waiting"


for model in (MedicalAppointment, MedicalReferral, Medicine, FitToTravelExam, HealthCost):
    register(model, exclude=("id", "recorded_at"))
