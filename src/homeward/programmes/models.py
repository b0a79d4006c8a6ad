"""Programmes: donors, dates, targets, budget lines and effective-dated rule versions."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.programmes.schema import RuleVersion as RuleVersionSchema


def default_age_groups() -> list[int]:
    return [0, 5, 12, 18, 60]


def default_report_disaggregations() -> list[str]:
    return ["sex_age", "age_group", "nationality", "destination_country", "case_type"]


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
    # How the donor wants persons broken down: the lower bounds of its age groups, in years,
    # and the disaggregations its report shows (codes of reporting.indicators.DIMENSIONS).
    age_groups = models.JSONField(_("age groups of the donor"), default=default_age_groups, blank=True)
    report_disaggregations = models.JSONField(
        _("disaggregations of the donor report"), default=default_report_disaggregations, blank=True
    )
    # Data protection: how long after a case ends its persons keep their names (privacy.erasure); blank: kept.
    retention_years = models.PositiveSmallIntegerField(
        _("retention after closure (years)"), null=True, blank=True,
        help_text=_("Persons whose every case ended longer ago than this are anonymised. Blank: kept."),
    )  # fmt: skip

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
    """A value an indicator should reach: over the life of the programme, a year or a quarter.

    ``kind`` is an indicator code of ``reporting.indicators`` (the definitions page says what it
    counts). A report compares with the target of exactly its period.
    """

    class Period(models.TextChoices):
        LIFE = "life", _("life of the programme")
        YEAR = "year", _("year")
        QUARTER = "quarter", _("quarter")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("indicator"), max_length=40)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices, default=Period.LIFE)
    # Empty for the life of the programme, whose dates are the programme's own.
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["kind", "period", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], condition=models.Q(period="life"),
                                    name="one_life_target_per_kind"),
            models.UniqueConstraint(fields=["programme", "kind", "starts_on", "ends_on"],
                                    condition=~models.Q(period="life"), name="one_target_per_kind_and_period"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(
                condition=(models.Q(period="life", starts_on__isnull=True, ends_on__isnull=True)
                           | (~models.Q(period="life") & models.Q(starts_on__isnull=False, ends_on__gte=models.F("starts_on")))),
                name="target_period_dates",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        when = "" if self.period == self.Period.LIFE else f" ({self.starts_on} – {self.ends_on})"
        return f"{self.kind}: {self.value.normalize()}{when}"

    def dates(self) -> tuple[dt.date, dt.date]:
        """The first and last day the target covers."""
        if self.period == self.Period.LIFE:
            return self.programme.start, self.programme.end
        return self.starts_on, self.ends_on  # type: ignore[return-value]


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
