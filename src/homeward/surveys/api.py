"""Surveys over JSON (mounted at /api/v1/): /surveys/instruments, /cases/{id}/survey-responses,
/cases/{id}/satisfaction, /programmes/{id}/satisfaction.

The same services and scoping as the pages: a case the user may not see is a 404, an
action the role may not take a 403, a refusal a 400 with ``{"message", "fields"}``.
Every score carries the name of the weight table it was computed with.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from homeward.cases import selectors as case_selectors
from homeward.programmes import selectors as programme_selectors
from homeward.surveys import selectors, services
from homeward.surveys.models import Instrument, Response, SatisfactionResponse, WeightTable
from homeward.surveys.schemas import (
    ErrorOut,
    InstrumentDetailOut,
    InstrumentOut,
    PeriodIn,
    RateOut,
    ResponseIn,
    ResponseOut,
    SatisfactionIn,
    SatisfactionOut,
)

router = Router(tags=["surveys"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _table(t: WeightTable) -> dict[str, Any]:
    return {"id": t.pk, "name": t.name, "source": t.source, "is_default": t.is_default}


def instrument_out(i: Instrument) -> dict[str, Any]:
    return {"id": i.pk, "code": i.code, "version": i.version, "title": i.title, "status": i.status,
            "weight_tables": [_table(t) for t in i.weight_tables.all()]}  # fmt: skip


def response_out(r: Response) -> dict[str, Any]:
    return {
        "id": r.pk, "case_id": r.case_id, "instrument_id": r.instrument_id, "instrument": str(r.instrument),
        "kind": r.kind, "taken_on": r.taken_on, "answers": r.answers, "source": r.source,
        "recorded_by": r.recorded_by.username,
        "scores": [
            {"weight_table": s.weight_table.name, "weight_table_id": s.weight_table_id, "dimensions": s.dimensions,
             "composite": s.composite, "bands": s.bands}
            for s in r.scores.all()
        ],
    }  # fmt: skip


def satisfaction_out(s: SatisfactionResponse) -> dict[str, Any]:
    return {"id": s.pk, "case_id": s.case_id, "questionnaire": s.questionnaire.code,
            "version": s.questionnaire.version, "taken_on": s.taken_on, "answers": s.answers, "overall": s.overall,
            "recorded_by": s.recorded_by.username}  # fmt: skip


@router.get("/surveys/instruments", response=list[InstrumentOut], summary="Survey instruments and their weight tables")
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    services.shipped_ensure()
    return [instrument_out(i) for i in selectors.instruments()]


@router.get("/surveys/instruments/{instrument_id}", response={200: InstrumentDetailOut, 404: ErrorOut},
            summary="An instrument's definition: dimensions, indicators, questions, answer values; its weights")  # fmt: skip
def get_instrument(request: HttpRequest, instrument_id: int) -> dict[str, Any]:
    i = selectors.instrument_for(instrument_id)
    return instrument_out(i) | {
        "definition": i.definition,
        "weights": {t.name: t.weights for t in i.weight_tables.all()},
    }


@router.get("/cases/{case_id}/survey-responses", response={200: list[ResponseOut], 404: ErrorOut},
            summary="A case's RSS responses with their scores, oldest first")  # fmt: skip
def list_responses(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    return [response_out(r) for r in selectors.responses_of(request.user, case)]


@router.post("/cases/{case_id}/survey-responses", response={201: ResponseOut, **ERRORS},
             summary="Record an RSS response (scored with the instrument's default weight table)")  # fmt: skip
def record_response(request: HttpRequest, case_id: int, payload: ResponseIn) -> Status:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    if payload.instrument_id is None:
        instrument = services.current_instrument()
        if instrument is None:
            raise Http404
    else:
        instrument = selectors.instrument_for(payload.instrument_id)
    response = services.response_record(acting_user=request.user, case=case, instrument=instrument,
                                        answers=payload.answers, taken_on=payload.taken_on, kind=payload.kind)  # fmt: skip
    fresh = next(r for r in selectors.responses_of(request.user, case) if r.pk == response.pk)
    return Status(201, response_out(fresh))


@router.get("/cases/{case_id}/satisfaction", response={200: list[SatisfactionOut], 404: ErrorOut},
            summary="A case's satisfaction responses")  # fmt: skip
def list_satisfaction(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    return [satisfaction_out(s) for s in selectors.satisfaction_of(request.user, case)]


@router.post("/cases/{case_id}/satisfaction", response={201: SatisfactionOut, **ERRORS},
             summary="Record a satisfaction questionnaire (Likert 1–5 and open answers)")  # fmt: skip
def record_satisfaction(request: HttpRequest, case_id: int, payload: SatisfactionIn) -> Status:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    services.shipped_ensure()
    questionnaire = selectors.questionnaire(payload.questionnaire)
    saved = services.satisfaction_record(acting_user=request.user, case=case, questionnaire=questionnaire,
                                         answers=payload.answers, taken_on=payload.taken_on)  # fmt: skip
    return Status(201, satisfaction_out(saved))


@router.get("/programmes/{programme_id}/satisfaction", response={200: list[RateOut], 403: ErrorOut, 404: ErrorOut},
            summary="Satisfaction rate per questionnaire (share answering 4 or 5 overall) with the respondents")  # fmt: skip
def programme_satisfaction(request: HttpRequest, programme_id: int, period: Query[PeriodIn]) -> list[dict[str, Any]]:
    programme = programme_selectors.programme_for(request.user, programme_id)
    services.shipped_ensure()
    return [
        {"questionnaire": r.code, "title": r.title, "respondents": r.respondents, "satisfied": r.satisfied,
         "rate": r.rate}
        for r in selectors.satisfaction_rates(request.user, programme, period.date_from, period.date_to)
    ]  # fmt: skip
