"""Programmes: donors, dates, targets, budget lines and effective-dated rule versions."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.programmes.schema import RuleVersion as RuleVersionSchema


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)
    donor = models.CharField(_("donor"), max_length=250)
    fund = models.CharField(_("fund"), max_length=250, blank=True)
    missions = models.ManyToManyField(Mission, related_name="programmes", verbose_name=_("implementing missions"))
    partners = models.JSONField(_("partners"), default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("source of the rules"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="programme_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def version_on(self, date: dt.date) -> RuleVersion | None:
        """The rule version in force on ``date``: the latest to take effect on or before it."""
        return self.rule_versions.filter(effective_from__lte=date).order_by("-effective_from").first()


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=120)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="phase_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    class Kind(models.TextChoices):
        PERSONS_ASSISTED = "persons_assisted", _("persons assisted")
        INDIVIDUAL_CASES = "individual_cases", _("individual cases")
        FAMILY_CASES = "family_cases", _("family cases")
        AVERAGE_FAMILY_SIZE = "average_family_size", _("average family size")
        PERSONS_REINTEGRATION = "persons_reintegration", _("persons receiving reintegration assistance")
        SATISFACTION_RATE = "satisfaction_rate", _("satisfaction rate (%)")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_target_per_kind"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value.normalize()}"


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        TRAVEL = "travel", _("travel")
        CASH_GRANTS = "cash_grants", _("cash grants")
        REINTEGRATION = "reintegration", _("reintegration")
        STAFF = "staff", _("staff")
        OUTREACH = "outreach", _("outreach")
        OFFICE = "office", _("office")
        OTHER = "other", _("other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    confirmed = models.BooleanField(_("confirmed"), default=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount} {self.currency}"


class RuleVersion(models.Model):
    """The programme's eligibility and benefit rules from a date on (format: programmes/schema.py)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rule_versions")
    effective_from = models.DateField(_("in force from"))
    rules = models.JSONField(_("rules"))
    note = models.CharField(_("note"), max_length=250, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["programme", "effective_from"], name="one_version_per_date")]

    def __str__(self) -> str:
        return f"{self.programme.code} from {self.effective_from}"

    @property
    def parsed(self) -> RuleVersionSchema:
        return RuleVersionSchema.model_validate(self.rules)


class ExchangeRate(models.Model):
    """How many units of ``quote`` one unit of ``currency`` bought on a date."""

    currency = models.CharField(_("currency"), max_length=3)
    quote = models.CharField(_("in"), max_length=3)
    on = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        ordering = ["currency", "quote", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "quote", "on"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate.normalize()} {self.quote} ({self.on})"


# Not personal data, but who changed a programme's rules matters as much.
# The missions decide who reads and manages a programme: their changes are logged too.
register(Programme, exclude=("id",), m2m_fields={"missions"})
for model in (Phase, Target, BudgetLine, RuleVersion, ExchangeRate):
    register(model, exclude=("id", "updated_at"))
