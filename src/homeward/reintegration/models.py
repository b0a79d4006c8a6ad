"""The individual reintegration plan: needs, goals and the components that meet them.

Drawn up with the migrant before departure, refined with the origin mission
after arrival, approved by a supervisor, signed as an agreement. Each
component has a budget; the plan's total is held to the programme's ceiling
for the case. Approval commits the components' budgets in the ledger
(sources ``component:<id>``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register
from homeward.core.files import case_file_path, private_storage


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        CLOSED = "closed", _("closed")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plans", verbose_name=_("case"))
    # Empty: a plan for the whole household; otherwise an individual plan for one member.
    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.PROTECT, null=True, blank=True, related_name="plans",
        verbose_name=_("for"),
    )  # fmt: skip
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="plans", verbose_name=_("programme")
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    # Needs assessment across the three dimensions of sustainable reintegration.
    needs_economic = models.TextField(_("economic needs"), blank=True)
    needs_social = models.TextField(_("social needs"), blank=True)
    needs_psychosocial = models.TextField(_("psychosocial needs"), blank=True)
    goals = models.TextField(_("goals"), blank=True)

    # The plan's total above the ceiling only with a supervisor's reason.
    override_reason = models.TextField(_("reason for exceeding the ceiling"), blank=True)
    # Finalise within a month of arrival; deliver within the programme's validity period.
    finalise_by = models.DateField(_("finalise by"), null=True, blank=True)
    deliver_by = models.DateField(_("deliver by"), null=True, blank=True)

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)

    # The signed reintegration agreement.
    agreement_language = models.CharField(_("agreement language"), max_length=10, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_scan = models.FileField(
        _("signed agreement"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True
    )
    agreement_scan_content_type = models.CharField(max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "created_at", "pk"]
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(member__isnull=True), name="one_household_plan_per_case"
            ),
            models.UniqueConstraint(fields=["case", "member"], name="one_plan_per_member"),
        ]

    def __str__(self) -> str:
        return str(_("reintegration plan %(id)s") % {"id": self.pk})


class Component(models.Model):
    class Kind(models.TextChoices):
        MICRO_BUSINESS = "micro_business", _("micro-business")
        JOB_PLACEMENT = "job_placement", _("job placement")
        VOCATIONAL_TRAINING = "vocational_training", _("vocational training")
        ACCOMMODATION = "accommodation", _("temporary accommodation")
        MEDICAL = "medical", _("medical assistance")
        PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
        SCHOOLING = "schooling", _("schooling")
        HOUSEHOLD_ITEMS = "household_items", _("household items")
        CHILD_CARE = "child_care", _("child care")
        HOUSING_REPAIR = "housing_repair", _("housing repair")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        APPROVED = "approved", _("approved")
        IN_DELIVERY = "in_delivery", _("in delivery")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    class Delivery(models.TextChoices):
        IN_KIND = "in_kind", _("in kind, through a service provider")
        CASH = "cash", _("in cash to the returnee")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="components", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2)  # in the plan's currency
    delivery = models.CharField(_("delivered"), max_length=8, choices=Delivery.choices, default=Delivery.IN_KIND)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    due_by = models.DateField(_("to deliver by"), null=True, blank=True)
    # The date of each status, for the plan's history at a glance.
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    delivery_started_on = models.DateField(_("delivery started on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    # A micro-business: a short business plan, alone or in partnership.
    business_activity = models.CharField(_("activity"), max_length=200, blank=True)
    business_location = models.CharField(_("location"), max_length=200, blank=True)
    business_costs = models.DecimalField(_("start-up costs"), max_digits=12, decimal_places=2, null=True, blank=True)
    expected_income = models.DecimalField(
        _("expected monthly income"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    partnership = models.BooleanField(_("in partnership"), default=False)
    partners = models.TextField(_("partners"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("plan component")
        verbose_name_plural = _("plan components")
        constraints = [models.CheckConstraint(condition=models.Q(budget__gte=0), name="component_budget_not_negative")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def case_id(self) -> int:
        return self.plan.case_id

    @property
    def source(self) -> str:
        """How the ledger names this component's commitment."""
        return f"component:{self.pk}"


register(Plan, exclude=("id", "created_at", "agreement_scan_content_type", "version"))
register(Component, exclude=("id", "created_at"))
