"""In-kind assistance and its money: service providers, quotes, purchase orders, deliveries,
invoices, and the ledger every commitment and payment is booked in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Mission
from homeward.assistance import rules
from homeward.core.audit import register
from homeward.core.fields import EncryptedCharField
from homeward.core.files import case_file_path, private_storage

BANK_FIELDS = ("account_holder", "bank_name", "account_number", "swift_bic")


class Provider(models.Model):
    """A supplier, training centre, clinic, landlord, school… vetted and managed by one origin mission.

    Bank details are sensitive: only the mission's finance officers and
    supervisors, and administrators, see or change them; the audit log keeps
    that they changed but not their values.
    """

    class Category(models.TextChoices):
        SUPPLIER = "supplier", _("supplier")
        TRAINING = "training", _("training centre")
        HEALTH = "health", _("clinic or health service")
        ACCOMMODATION = "accommodation", _("landlord or accommodation")
        SCHOOL = "school", _("school")
        TRANSPORT = "transport", _("transport")
        OTHER = "other", _("other")

    class Vetting(models.TextChoices):
        NOT_VETTED = "not_vetted", _("not vetted")
        IN_PROGRESS = "in_progress", _("vetting in progress")
        VETTED = "vetted", _("vetted")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")

    # A decision someone other than the provider's registrar takes; the rest is work in progress.
    DECISIONS = frozenset({Vetting.VETTED, Vetting.REJECTED, Vetting.SUSPENDED})

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="providers", verbose_name=_("managing mission")
    )
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    account_holder = EncryptedCharField(_("account holder"), max_length=200, blank=True)
    bank_name = EncryptedCharField(_("bank"), max_length=200, blank=True)
    account_number = EncryptedCharField(_("IBAN or account number"), max_length=40, blank=True)
    swift_bic = EncryptedCharField(_("SWIFT/BIC"), max_length=11, blank=True)
    vetting_status = models.CharField(
        _("vetting status"), max_length=12, choices=Vetting.choices, default=Vetting.NOT_VETTED
    )
    vetted_on = models.DateField(_("vetting decided on"), null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vetting decided by"),
    )
    vetting_note = models.TextField(_("vetting note"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [
            # The service refuses a duplicate in words; this catches two people registering it at once.
            models.UniqueConstraint(
                Lower("name"), models.F("country"), models.F("mission"), name="provider_once_per_country_and_mission"
            ),
            models.CheckConstraint(
                condition=models.Q(vetting_status__in=["vetted", "rejected", "suspended"])
                | models.Q(vetted_on__isnull=True, vetted_by__isnull=True),
                name="provider_vetting_date_only_with_a_decision",
            ),
        ]
        indexes = [models.Index(fields=["mission", "vetting_status", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vetted(self) -> bool:
        return self.vetting_status == self.Vetting.VETTED

    @property
    def account_display(self) -> str:
        """An IBAN in groups of four; a plain account number as typed."""
        if rules.looks_like_iban(self.account_number):
            return rules.iban_grouped(self.account_number)
        return self.account_number

    @property
    def has_bank_details(self) -> bool:
        return any(getattr(self, name) for name in BANK_FIELDS)


register(Provider, exclude=("id", "created_at", "updated_at"), mask=BANK_FIELDS)


class LedgerEntry(models.Model):
    """One booking against a programme's budget line: money committed or paid, in the line's currency.

    Entries are never changed or deleted: a mistake is undone by a counter-entry
    (``reverses``) of the opposite amount, so every figure is the sum of its entries.
    """

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("committed")
        PAYMENT = "payment", _("paid")

    budget_line = models.ForeignKey(
        "programmes.BudgetLine", on_delete=models.PROTECT, related_name="entries", verbose_name=_("budget line")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries",
        verbose_name=_("case"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    # As paid or quoted, and the rate that brought it into the line's currency.
    original_amount = models.DecimalField(_("amount as paid"), max_digits=14, decimal_places=2)
    original_currency = models.CharField(_("currency as paid"), max_length=3)
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=8, null=True, blank=True)
    booked_on = models.DateField(_("booked on"))
    # What the money is for, e.g. "grant:12" or "invoice:7": one payment per source.
    source = models.CharField(_("for"), max_length=60)
    # What booked it, where that is not the source itself: the order that committed more on a
    # component ("po:3"), the invoice whose payment released a component's commitment ("invoice:7").
    cause = models.CharField(_("booked because of"), max_length=60, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("counter-entry of"),
    )  # fmt: skip
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    override_reason = models.TextField(_("reason for exceeding the budget"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["budget_line", "kind"]), models.Index(fields=["source"])]
        constraints = [
            # Two requests paying the same invoice at once: the database keeps one.
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(kind="payment", reverses__isnull=True, reversed_at__isnull=True),
                name="one_live_payment_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.source})"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise models.ProtectedError("Ledger entries are never deleted: book a counter-entry.", {self})

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id} if self.case_id else {}


register(LedgerEntry, exclude=("id", "created_at"))


# --- Procurement: how an in-kind component reaches the returnee ----------------------------


class _ForComponent(models.Model):
    """Something about one plan component; files are stored under the component's case."""

    class Meta:
        abstract = True

    @property
    def case_id(self) -> int:
        return self.component.plan.case_id  # type: ignore[attr-defined]


class Quote(_ForComponent):
    """A provider's offer for a component; one of them is chosen, with the reason why."""

    component = models.ForeignKey(
        "reintegration.Component", on_delete=models.PROTECT, related_name="quotes", verbose_name=_("component")
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("provider"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    description = models.TextField(_("what is offered"), blank=True)
    scan = models.FileField(_("scan"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=60, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)
    choice_reason = models.TextField(_("why it was chosen"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["component", "amount", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="quote_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(chosen=False) | ~models.Q(choice_reason=""), name="quote_chosen_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.currency}"


class PurchaseOrder(_ForComponent):
    """The order placed with a provider from a chosen quote; invoices are paid against it."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    component = models.ForeignKey(
        "reintegration.Component", on_delete=models.PROTECT, related_name="purchase_orders",
        verbose_name=_("component"),
    )  # fmt: skip
    quote = models.OneToOneField(
        Quote, on_delete=models.PROTECT, related_name="purchase_order", verbose_name=_("quote")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("provider")
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    # Above the component's budget only with a supervisor's reason.
    override_reason = models.TextField(_("reason for exceeding the budget"), blank=True)
    note = models.TextField(_("note"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["component", "issued_on", "pk"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="po_amount_positive")]

    def __str__(self) -> str:
        return self.number

    @property
    def source(self) -> str:
        """How the ledger names what this order committed above its component's budget."""
        return f"po:{self.pk}"


class Delivery(_ForComponent):
    """Goods or services received, confirmed by the returnee (a signature or a photo); often partial."""

    component = models.ForeignKey(
        "reintegration.Component", on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("component")
    )
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries",
        verbose_name=_("purchase order"),
    )  # fmt: skip
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("what was received"))
    complete = models.BooleanField(_("everything ordered has been received"), default=False)
    confirmed_by_returnee = models.BooleanField(_("confirmed by the returnee"), default=False)
    evidence = models.FileField(
        _("signature or photo"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True
    )
    evidence_content_type = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["component", "received_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.received_on}: {self.description[:40]}"


class Invoice(_ForComponent):
    """A provider's invoice against a purchase order: recorded, approved by someone else, then paid."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        APPROVED = "approved", _("approved for payment")
        PAID = "paid", _("paid")
        REJECTED = "rejected", _("rejected")

    component = models.ForeignKey(
        "reintegration.Component", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("component")
    )
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("purchase order")
    )
    provider_reference = models.CharField(_("provider's invoice number"), max_length=60)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    issued_on = models.DateField(_("invoice date"))
    scan = models.FileField(_("scan"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    raised_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
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
    payment_reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    # A supervisor approving it may allow it above the budget line or the case's ceiling: the payer
    # (a finance officer, who may not decide that) then pays on that decision.
    override_reason = models.TextField(_("reason for exceeding the budget or the ceiling"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["component", "issued_on", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="invoice_amount_positive"),
            models.UniqueConstraint(
                fields=["purchase_order", "provider_reference"], name="invoice_once_per_purchase_order"
            ),
            # Separation of duties: who records an invoice does not approve it; who approves does not pay.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("raised_by")),
                name="invoice_approver_is_not_raiser",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_by__isnull=True) | ~models.Q(paid_by=models.F("approved_by")),
                name="invoice_payer_is_not_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_reference} {self.amount} {self.currency}"

    @property
    def source(self) -> str:
        """How the ledger names this invoice: paid once."""
        return f"invoice:{self.pk}"


for model in (Quote, PurchaseOrder, Delivery):
    register(model, exclude=("id", "recorded_at", "created_at", "scan_content_type", "evidence_content_type"))
register(Invoice, exclude=("id", "raised_at", "scan_content_type", "version"))
