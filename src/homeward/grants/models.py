"""Cash assistance: pre-departure cash, per-diem social benefits, arrival grants and cash reintegration.

A grant is proposed by a counsellor from the programme's entitlements, approved
by a supervisor and paid by a finance officer who did not approve it. Its money
lives in the ledger (``assistance.LedgerEntry``, sources ``grant:<id>``): approval
commits it, payment releases the commitment and books the payment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register
from homeward.core.files import case_file_path, private_storage


class Grant(models.Model):
    class Kind(models.TextChoices):
        PRE_DEPARTURE_CASH = "pre_departure_cash", _("pre-departure cash")
        PER_DIEM = "per_diem", _("per-diem social benefits before departure")
        ARRIVAL = "arrival", _("arrival and reception grant")
        # A reintegration component the programme lets pay in cash (never where it is in kind only).
        REINTEGRATION = "reintegration", _("reintegration paid in cash")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        RETURNED = "returned", _("returned")
        CANCELLED = "cancelled", _("cancelled")

    class Method(models.TextChoices):
        CASH = "cash", _("cash, with a signed receipt")
        BANK_TRANSFER = "bank_transfer", _("bank transfer")
        CARD = "card", _("pre-paid card")
        MOBILE_MONEY = "mobile_money", _("mobile money")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="grants", verbose_name=_("case"))
    # Empty for a grant to the whole household.
    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.PROTECT, null=True, blank=True, related_name="grants",
        verbose_name=_("for"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    component = models.ForeignKey(
        "reintegration.Component", on_delete=models.PROTECT, null=True, blank=True, related_name="grants",
        verbose_name=_("reintegration component"),
    )  # fmt: skip
    budget_line = models.ForeignKey(
        "programmes.BudgetLine", on_delete=models.PROTECT, related_name="grants", verbose_name=_("budget line")
    )
    # What the rules give, in the rules' currency, and how it was worked out.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    entitled_amount = models.DecimalField(_("entitlement"), max_digits=12, decimal_places=2)
    basis = models.TextField(_("how it was computed"), blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)  # per diem only
    # Above the entitlement only with a supervisor's reason.
    override_reason = models.TextField(_("reason for exceeding the entitlement"), blank=True)
    # Handed over at the airport on departure: reconciled against the confirmed departure.
    at_airport = models.BooleanField(_("handed over at the airport"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    note = models.TextField(_("note"), blank=True)

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("paid by"),
    )  # fmt: skip
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2, null=True, blank=True)
    paid_currency = models.CharField(_("currency paid"), max_length=3, blank=True)
    # Units of the paid currency for one unit of the grant's currency on the day paid.
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=8, null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    receipt = models.FileField(
        _("receipt"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True
    )
    receipt_content_type = models.CharField(max_length=60, blank=True)

    # Cash that did not reach a traveller: given back, or handed over again on a later departure.
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    reissued_on = models.DateField(_("re-issued on"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reconciled by"),
    )  # fmt: skip
    settlement_note = models.TextField(_("reconciliation note"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "proposed_at", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [models.Index(fields=["status", "at_airport"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False, paid_amount__isnull=False),
                name="grant_paid_has_payment",
            ),
            models.UniqueConstraint(
                fields=["component"],
                condition=models.Q(status__in=["proposed", "approved", "paid"]),
                name="one_live_cash_grant_per_component",
            ),
            # Who approves a grant does not pay it.
            models.CheckConstraint(
                condition=models.Q(paid_by__isnull=True) | ~models.Q(paid_by=models.F("approved_by")),
                name="grant_payer_is_not_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    @property
    def source(self) -> str:
        """How the ledger names this grant."""
        return f"grant:{self.pk}"


register(Grant, exclude=("id", "proposed_at", "receipt_content_type", "version"))
