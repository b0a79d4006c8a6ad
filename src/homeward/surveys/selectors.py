"""Every read of surveys, scoped to the user: a case's responses and scores, the instruments,
the satisfaction rates of a programme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.surveys import policy
from homeward.surveys.models import Instrument, Questionnaire, Response, SatisfactionResponse, Score, Status
from homeward.surveys.schema import SATISFIED


def responses_of(user: Any, case: Any) -> list[Response]:
    """The case's RSS responses, oldest first, each with ``score`` (the first computed, with its table)."""
    if not permissions.can_view_case(user, case):
        return []
    responses = list(
        Response.objects.filter(case=case)
        .select_related("instrument", "recorded_by")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("weight_table").order_by("pk")))
        .order_by("taken_on", "pk")
    )
    for response in responses:
        scores = list(response.scores.all())
        response.score = scores[0] if scores else None  # type: ignore[attr-defined]
    return responses


def satisfaction_of(user: Any, case: Any) -> QuerySet[SatisfactionResponse]:
    if not permissions.can_view_case(user, case):
        return SatisfactionResponse.objects.none()
    return (
        SatisfactionResponse.objects.filter(case=case)
        .select_related("questionnaire", "recorded_by")
        .order_by("taken_on", "pk")
    )


def instruments() -> QuerySet[Instrument]:
    """Instruments are reference data: every signed-in user may read them."""
    return Instrument.objects.prefetch_related("weight_tables").order_by("code", "-version")


def instrument_for(pk: int) -> Instrument:
    instrument = instruments().filter(pk=pk).first()
    if instrument is None:
        raise Http404
    return instrument


def questionnaires() -> QuerySet[Questionnaire]:
    """The active version of each satisfaction questionnaire."""
    return Questionnaire.objects.filter(status=Status.ACTIVE).order_by("code", "-version")


def questionnaire(code: str) -> Questionnaire:
    found = questionnaires().filter(code=code).first()
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------- the case card's chart


@dataclass
class Series:
    dimension: str
    label: str
    points: list[tuple[dt.date, float]]  # only responses with a score for the dimension

    @property
    def last(self) -> float | None:
        return self.points[-1][1] if self.points else None


@dataclass
class Chart:
    table: Any  # the weight table every point was computed with
    series: list[Series]
    left_out: int  # responses scored with another table, not drawn


def chart(responses: list[Response]) -> Chart | None:
    """Each dimension over time, from the scores under the latest response's weight table
    (scores under different tables are not comparable, so they are never drawn together)."""
    scored = [r for r in responses if getattr(r, "score", None) is not None]
    if not scored:
        return None
    table = scored[-1].score.weight_table  # type: ignore[attr-defined]
    same = [r for r in scored if r.score.weight_table_id == table.pk]  # type: ignore[attr-defined]
    series = []
    for dimension in scored[-1].instrument.parsed.dimensions:
        points = [
            (r.taken_on, r.score.dimensions[dimension.code])  # type: ignore[attr-defined]
            for r in same
            if r.score.dimensions.get(dimension.code) is not None  # type: ignore[attr-defined]
        ]
        series.append(Series(dimension.code, dimension.label, points))
    return Chart(table=table, series=series, left_out=len(scored) - len(same))


# ---------------------------------------------------------------- satisfaction rates


@dataclass
class Rate:
    code: str
    title: str
    respondents: int
    satisfied: int

    @property
    def rate(self) -> float | None:
        """Share of respondents satisfied or very satisfied (4 or 5 on the overall question)."""
        return self.satisfied / self.respondents if self.respondents else None


def satisfaction_rates(
    user: Any, programme: Any, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[Rate]:
    """Per questionnaire, the respondents of the programme's cases in the period and how many are satisfied.

    A respondent is a response taken in the period (``taken_on``, both ends included).
    Rule: ``Perm.VIEW_AGGREGATES`` in one of the programme's missions (403 otherwise).
    """
    if not policy.may_see_rates(user, programme):
        raise PermissionDenied(_("Your role does not see this programme's figures."))
    responses = SatisfactionResponse.objects.filter(case__programme=programme)
    if date_from is not None:
        responses = responses.filter(taken_on__gte=date_from)
    if date_to is not None:
        responses = responses.filter(taken_on__lte=date_to)
    counts = {
        row["questionnaire__code"]: row
        for row in responses.values("questionnaire__code").annotate(
            n=Count("pk"), satisfied=Count("pk", filter=Q(overall__in=SATISFIED))
        )
    }
    rates: list[Rate] = []
    for q in questionnaires():
        if any(r.code == q.code for r in rates):
            continue  # an older active version: its responses are already counted under the code
        row = counts.get(q.code, {"n": 0, "satisfied": 0})
        rates.append(Rate(code=q.code, title=q.title, respondents=row["n"], satisfied=row["satisfied"]))
    return rates
