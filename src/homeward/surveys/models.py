"""Surveys: the reintegration sustainability survey (instrument, weight tables, responses, scores)
and the satisfaction questionnaires with their responses.

Instruments, weight tables and questionnaires are data loaded from files
(``surveys/instruments/``, ``homeward survey_load``) and never edited: a change is a
new version or a new table. A score keeps the weight table it was computed with,
so loading another table never changes an old score silently.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import case_tag, register
from homeward.surveys.schema import InstrumentDefinition, QuestionnaireDefinition, WeightTableDefinition


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    RETIRED = "retired", _("retired")


class Source(models.TextChoices):
    STAFF = "staff", _("recorded by staff")
    KOBO = "kobo", _("imported from KoboToolbox or ODK")


class Instrument(models.Model):
    """One version of a survey instrument (the RSS): dimensions, indicators, questions and answer values."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_instrument_per_code_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @cached_property
    def parsed(self) -> InstrumentDefinition:
        return InstrumentDefinition.model_validate(self.definition)


class WeightTable(models.Model):
    """How an instrument's indicators and dimensions are weighed, its minimum answers and its bands."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="weight_tables", verbose_name=_("instrument")
    )
    name = models.CharField(_("name"), max_length=120)
    source = models.TextField(_("source"), blank=True)
    # The table new responses are scored with; one per instrument.
    is_default = models.BooleanField(_("used for new scores"), default=False)
    weights = models.JSONField(_("weights"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["instrument", "loaded_at", "pk"]
        verbose_name = _("weight table")
        verbose_name_plural = _("weight tables")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "name"], name="one_weight_table_name_per_instrument"),
            models.UniqueConstraint(
                fields=["instrument"], condition=models.Q(is_default=True), name="one_default_weight_table"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def parsed(self) -> WeightTableDefinition:
        return WeightTableDefinition.model_validate(self.weights)


class Response(models.Model):
    """One RSS interview of a case: the answer chosen for each indicator."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("baseline")
        FOLLOW_UP = "follow_up", _("follow-up")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("case")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="responses", verbose_name=_("instrument")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    taken_on = models.DateField(_("taken on"))
    answers = models.JSONField(_("answers"))  # {indicator code: option code}
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.STAFF)
    # A Kobo/ODK submission's instance id: the same submission is never imported twice.
    external_id = models.CharField(_("submission id"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "taken_on", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="one_response_per_submission"
            )
        ]

    def __str__(self) -> str:
        # No related object here: the case history names many responses at once.
        return f"{self.get_kind_display()} {self.taken_on}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Score(models.Model):
    """A response's scores under one weight table, kept with the table."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores", verbose_name=_("response"))
    weight_table = models.ForeignKey(
        WeightTable, on_delete=models.PROTECT, related_name="scores", verbose_name=_("weight table")
    )
    dimensions = models.JSONField(_("dimension scores"))  # {dimension: score or null}
    composite = models.FloatField(_("composite score"), null=True, blank=True)
    bands = models.JSONField(_("bands"))  # {dimension or "composite": band code or null}
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["response", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["response", "weight_table"], name="one_score_per_response_table")
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.composite}"

    def get_additional_data(self) -> dict[str, object]:
        return case_tag()

    def band_label(self, code: str | None) -> str:
        return next((b.label for b in self.weight_table.parsed.bands if b.code == code), "")

    def by_dimension(self) -> list[dict[str, object]]:
        """Each dimension's label, score and band label, in the instrument's order (for pages)."""
        return [
            {"code": d.code, "label": d.label, "score": self.dimensions.get(d.code),
             "band": self.band_label(self.bands.get(d.code))}
            for d in self.response.instrument.parsed.dimensions
        ]  # fmt: skip

    @property
    def composite_band(self) -> str:
        return self.band_label(self.bands.get("composite"))


class Questionnaire(models.Model):
    """One version of a satisfaction questionnaire (counselling, travel, reintegration)."""

    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("satisfaction questionnaire")
        verbose_name_plural = _("satisfaction questionnaires")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_questionnaire_per_code_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @cached_property
    def parsed(self) -> QuestionnaireDefinition:
        return QuestionnaireDefinition.model_validate(self.definition)


class SatisfactionResponse(models.Model):
    """A returnee's answers to a satisfaction questionnaire."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="satisfaction_responses", verbose_name=_("case")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses", verbose_name=_("questionnaire")
    )
    taken_on = models.DateField(_("taken on"))
    answers = models.JSONField(_("answers"))  # {question: 1..5 or text}
    # The overall question's answer, kept apart so rates are counted by the database.
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.STAFF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "taken_on", "pk"]
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=1, overall__lte=5), name="satisfaction_overall_likert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.taken_on}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}

    @property
    def satisfied(self) -> bool:
        return self.overall >= 4

    def other_answers(self) -> list[tuple[str, object]]:
        """(question, answer) of the questions answered besides the overall one, in the questionnaire's order."""
        return [
            (q.text, self.answers[q.code])
            for q in self.questionnaire.parsed.questions
            if not q.overall and q.code in self.answers
        ]


register(Instrument, exclude=("id", "loaded_at"))
register(WeightTable, exclude=("id", "loaded_at"))
register(Questionnaire, exclude=("id", "loaded_at"))
register(Response, exclude=("id", "recorded_at"))
register(Score, exclude=("id", "computed_at"))
register(SatisfactionResponse, exclude=("id", "recorded_at"))
