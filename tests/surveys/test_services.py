"""Recording RSS and satisfaction responses, loading instruments and weight tables, the survey tasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.surveys import selectors, services
from homeward.surveys.models import Instrument, Questionnaire, Response, SatisfactionResponse, Score, WeightTable
from homeward.work.models import Task, TaskKind
from tests.surveys.conftest import best, record, worst

pytestmark = pytest.mark.django_db
EQUAL = "equal-weight default, not an official weighting"


def official(weights: dict[str, dict[str, float]] | None = None, **extra: object) -> dict[str, object]:
    """An "official" weight table for the shipped RSS: employment counts double in the economic dimension."""
    table = {
        "instrument": "rss", "version": 1, "name": "Official 2025", "source": "an organisation's manual",
        "default": True,
        "dimensions": weights or {
            "economic": {"min_answered": 3, "weights": {"economic_situation": 0.2, "employment": 0.4, "debt": 0.1,
                                                         "food_security": 0.2, "borrowing": 0.1}},
            "social": {"min_answered": 3, "weights": {"housing": "1/6", "education": "1/6", "health_care": "1/6",
                                                       "documentation": "1/6", "safe_water": "1/6", "justice": "1/6"}},
            "psychosocial": {"min_answered": 3, "weights": {
                "social_network": 0.5, "participation": 0.1, "discrimination": 0.1, "safety": 0.1, "distress": 0.1,
                "wish_to_migrate": 0.1}},
        },
        "composite": {"weights": {"economic": 0.5, "social": 0.25, "psychosocial": 0.25}},
        "bands": [{"code": "low", "label": "low", "from": 0}, {"code": "high", "label": "high", "from": 0.5}],
    }  # fmt: skip
    return {"weight_table": table | extra}


# ---------------------------------------------------------------- the shipped instrument


def test_the_shipped_instrument_is_loaded_once_when_first_needed(db: None) -> None:
    assert not Instrument.objects.exists()
    first = services.current_instrument()
    services.shipped_ensure()
    assert first is not None
    assert (first.code, first.version, first.status) == ("rss", 1, "active")
    assert Instrument.objects.count() == 1
    assert [t.name for t in first.weight_tables.all()] == [EQUAL]
    assert first.weight_tables.get().is_default
    assert sorted(Questionnaire.objects.values_list("code", flat=True)) == ["counselling", "reintegration", "travel"]
    covered = {i.code for i in first.parsed.indicators()}
    for area in ("employment", "debt", "food_security", "housing", "education", "health_care", "documentation",
                 "safety", "social_network", "participation", "discrimination", "distress", "wish_to_migrate"):  # fmt: skip
        assert area in covered


def test_a_loaded_version_never_changes(rss: Instrument) -> None:
    data = yaml.safe_load(services.shipped_paths()[0].read_text())
    assert str(services.survey_load(acting_user=None, data=data)) == "nothing new"
    data["instrument"]["dimensions"][0]["indicators"][0]["question"] = "Changed?"
    with pytest.raises(ServiceError, match="new version") as caught:
        services.survey_load(acting_user=None, data=data)
    assert "instrument.version" in caught.value.fields


# ---------------------------------------------------------------- weight tables


def test_a_weight_table_not_summing_to_1_is_refused_naming_the_place(rss: Instrument, admin_gr: User) -> None:
    data = official()
    data["weight_table"]["dimensions"]["economic"]["weights"]["debt"] = 0.2  # type: ignore[index]
    with pytest.raises(ServiceError) as caught:
        services.survey_load(acting_user=admin_gr, data=data)
    assert caught.value.fields == {"weight_table.dimensions.economic": ["the indicator weights sum to 1.1, not 1"]}
    data = official()
    data["weight_table"]["composite"]["weights"]["social"] = 0.3  # type: ignore[index]
    with pytest.raises(ServiceError) as caught:
        services.survey_load(acting_user=admin_gr, data=data)
    assert "weight_table.composite" in caught.value.fields
    assert not WeightTable.objects.filter(name="Official 2025").exists()


def test_a_weight_table_weighs_exactly_the_instruments_indicators(rss: Instrument, admin_gr: User) -> None:
    data = official()
    weights = data["weight_table"]["dimensions"]["economic"]["weights"]  # type: ignore[index]
    weights["savings"] = weights.pop("borrowing")
    with pytest.raises(ServiceError, match="does not fit") as caught:
        services.survey_load(acting_user=admin_gr, data=data)
    assert caught.value.fields["weight_table.dimensions.economic.weights"] == [
        "no weight for borrowing", "not an indicator of economic: savings",
    ]  # fmt: skip


def test_only_an_administrator_loads_a_weight_table(rss: Instrument, me_gr: User, admin_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        services.survey_load(acting_user=me_gr, data=official())
    loaded = services.survey_load(acting_user=admin_gr, data=official())
    assert [t.name for t in loaded.weight_tables] == ["Official 2025"]


def test_old_scores_keep_their_table_when_another_becomes_the_default(
    rss: Instrument, case: Case, reintegration_pk: User, admin_gr: User
) -> None:
    answers = best(rss) | {"employment": "none", "social_network": "none"}
    before = record(reintegration_pk, case, rss, answers)
    services.survey_load(acting_user=admin_gr, data=official())
    after = record(reintegration_pk, case, rss, answers, kind="follow_up")
    old, new = before.scores.get(), after.scores.get()
    assert old.weight_table.name == EQUAL
    assert old.dimensions["economic"] == pytest.approx(0.8)  # 4 of 5 equal weights at 1
    assert new.weight_table.name == "Official 2025"
    assert new.dimensions["economic"] == pytest.approx(0.6)  # employment weighs 0.4
    assert new.dimensions["psychosocial"] == pytest.approx(0.5)
    assert new.bands["composite"] == "high"
    # Loading the same table again changes nothing; other weights under its name are refused.
    services.survey_load(acting_user=admin_gr, data=official())
    changed = official()
    changed["weight_table"]["composite"]["weights"] = {"economic": 0.4, "social": 0.3, "psychosocial": 0.3}  # type: ignore[index]
    with pytest.raises(ServiceError, match="another name"):
        services.survey_load(acting_user=admin_gr, data=changed)
    assert Score.objects.get(pk=old.pk).dimensions == old.dimensions


def test_the_command_loads_a_file(rss: Instrument, tmp_path: Path) -> None:
    path = tmp_path / "official.yaml"
    path.write_text(yaml.safe_dump(official()))
    out = StringIO()
    call_command("survey_load", str(path), stdout=out)
    assert "weight table 'Official 2025' of rss v1" in out.getvalue()
    bad = official()
    bad["weight_table"]["bands"] = [{"code": "low", "label": "low", "from": 0.1}]  # type: ignore[index]
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(CommandError, match="the bands start at 0"):
        call_command("survey_load", str(path))


# ---------------------------------------------------------------- RSS responses


def test_a_response_is_recorded_and_scored(rss: Instrument, case: Case, reintegration_pk: User) -> None:
    response = record(reintegration_pk, case, rss, worst(rss))
    score = response.scores.get()
    assert (response.recorded_by, response.source, response.kind) == (reintegration_pk, "staff", "baseline")
    assert score.dimensions == {"economic": 0.0, "social": 0.0, "psychosocial": 0.0}
    assert (score.composite, score.bands["composite"], score.weight_table.name) == (0.0, "low", EQUAL)


def test_an_answer_outside_its_options_is_refused_naming_the_indicator(
    rss: Instrument, case: Case, reintegration_pk: User
) -> None:
    answers = best(rss) | {"debt": "a_little"}
    with pytest.raises(ServiceError, match=r"Debt \(debt\) is not one of its options") as caught:
        record(reintegration_pk, case, rss, answers)
    assert list(caught.value.fields) == ["answers.debt"]
    del answers["debt"]
    answers["food_security"] = "fine"
    with pytest.raises(ServiceError) as caught:
        record(reintegration_pk, case, rss, answers)
    assert set(caught.value.fields) == {"answers.debt", "answers.food_security"}
    assert "2 answers in all" in caught.value.message
    assert not Response.objects.exists()
    assert not Score.objects.exists()


def test_a_retired_version_takes_no_response(rss: Instrument, case: Case, reintegration_pk: User,
                                             admin_gr: User) -> None:  # fmt: skip
    services.instrument_set_status(acting_user=admin_gr, instrument=rss, status="retired")
    with pytest.raises(ServiceError, match="retired"):
        record(reintegration_pk, case, rss)
    assert not Response.objects.exists()
    assert services.current_instrument() is None


def test_nothing_is_half_saved_when_scoring_fails(rss: Instrument, case: Case, reintegration_pk: User) -> None:
    WeightTable.objects.filter(instrument=rss).update(is_default=False)
    with pytest.raises(ServiceError, match="no weight table"):
        record(reintegration_pk, case, rss)
    assert not Response.objects.exists()


def test_a_date_in_the_future_is_refused(rss: Instrument, case: Case, reintegration_pk: User) -> None:
    with pytest.raises(ServiceError, match="future"):
        record(reintegration_pk, case, rss, taken_on=timezone.localdate() + dt.timedelta(days=1))


def test_who_records_the_rss(rss: Instrument, case: Case, reintegration_pk: User, me_gr: User, supervisor_gr: User,
                             counsellor_gr: User, finance_gr: User, counsellor_ro: User) -> None:  # fmt: skip
    record(reintegration_pk, case, rss)  # the origin mission's reintegration officer
    record(me_gr, case, rss, kind="follow_up")  # an M&E officer of the host mission
    record(supervisor_gr, case, rss, kind="follow_up")
    for user in (counsellor_gr, finance_gr, counsellor_ro):
        with pytest.raises(PermissionDenied):
            record(user, case, rss)
    assert Response.objects.count() == 3


# ---------------------------------------------------------------- tasks


def test_departure_and_arrival_open_the_surveys(case: Case, counsellor_gr: User, pk: object) -> None:
    services.surveys_for(case=case, moved_to=CaseStatus.DEPARTED)
    counselling = Task.objects.get(case=case, kind=TaskKind.SATISFACTION_SURVEY)
    assert (counselling.subject_key, counselling.mission.code, counselling.role, counselling.assignee) == (
        "satisfaction:counselling", "GR", "counsellor", counsellor_gr,
    )  # fmt: skip
    services.surveys_for(case=case, moved_to=CaseStatus.ARRIVED)
    baseline = Task.objects.get(case=case, kind=TaskKind.RSS_SURVEY)
    assert (baseline.subject_key, baseline.mission.code, baseline.role) == ("rss:baseline", "PK",
                                                                             "reintegration_officer")  # fmt: skip
    assert baseline.due_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    travel = Task.objects.get(case=case, subject_key="satisfaction:travel")
    assert (travel.kind, travel.mission.code) == (TaskKind.SATISFACTION_SURVEY, "PK")
    services.surveys_for(case=case, moved_to=CaseStatus.ARRIVED)  # entering twice opens nothing new
    assert Task.objects.filter(case=case, kind__in=(TaskKind.RSS_SURVEY, TaskKind.SATISFACTION_SURVEY)).count() == 3


def test_recording_the_survey_settles_its_task(rss: Instrument, travel: Questionnaire, case: Case,
                                               reintegration_pk: User) -> None:  # fmt: skip
    services.surveys_for(case=case, moved_to=CaseStatus.ARRIVED)
    record(reintegration_pk, case, rss, kind="follow_up")
    assert Task.objects.get(subject_key="rss:baseline").status == "open"  # a follow-up is not the baseline
    record(reintegration_pk, case, rss, kind="baseline")
    assert Task.objects.get(subject_key="rss:baseline").status == "done"
    services.satisfaction_record(acting_user=reintegration_pk, case=case, questionnaire=travel,
                                 answers={"overall": 4}, taken_on=timezone.localdate())  # fmt: skip
    assert Task.objects.get(subject_key="satisfaction:travel").status == "done"


def test_a_delivered_plan_opens_the_reintegration_questionnaire(case: Case, reintegration_pk: User) -> None:
    from homeward.reintegration.models import Component, Plan
    from homeward.reintegration.services import mark_delivered
    from tests.money import money_programme

    plan = Plan.objects.create(case=case, programme=money_programme(), currency="EUR", status="approved",
                               prepared_by=reintegration_pk)  # fmt: skip
    first, second = (
        Component.objects.create(plan=plan, kind=kind, budget=Decimal(500), status="approved")
        for kind in ("micro_business", "schooling")
    )
    mark_delivered(first, timezone.localdate(), reintegration_pk)
    assert not Task.objects.filter(subject_key="satisfaction:reintegration").exists()  # the schooling is pending
    mark_delivered(second, timezone.localdate(), reintegration_pk)
    task = Task.objects.get(subject_key="satisfaction:reintegration")
    assert (task.kind, task.mission.code, task.status) == (TaskKind.SATISFACTION_SURVEY, "PK", "open")


# ---------------------------------------------------------------- satisfaction


def test_satisfaction_answers_are_checked(travel: Questionnaire, case: Case, reintegration_pk: User) -> None:
    def answer(answers: dict[str, object]) -> SatisfactionResponse:
        return services.satisfaction_record(acting_user=reintegration_pk, case=case, questionnaire=travel,
                                            answers=answers, taken_on=timezone.localdate())  # fmt: skip

    with pytest.raises(ServiceError) as caught:
        answer({"overall": 6, "departure": "good", "wifi": 3, "improve": "x" * 2001})
    assert set(caught.value.fields) == {"answers.overall", "answers.departure", "answers.wifi", "answers.improve"}
    with pytest.raises(ServiceError) as caught:
        answer({"departure": 5})
    assert caught.value.fields == {"answers.overall": ["This question needs an answer."]}
    assert not SatisfactionResponse.objects.exists()
    saved = answer({"overall": "5", "departure": 4, "improve": "  Faster tickets. "})
    assert (saved.overall, saved.answers) == (5, {"overall": 5, "departure": 4, "improve": "Faster tickets."})


def test_the_host_counsellor_takes_the_counselling_questionnaire_not_another_mission(
    case: Case, counsellor_gr: User, counsellor_ro: User, finance_gr: User
) -> None:
    services.shipped_ensure()
    counselling = Questionnaire.objects.get(code="counselling")
    services.satisfaction_record(acting_user=counsellor_gr, case=case, questionnaire=counselling,
                                 answers={"overall": 3}, taken_on=timezone.localdate())  # fmt: skip
    for user in (counsellor_ro, finance_gr):
        with pytest.raises(PermissionDenied):
            services.satisfaction_record(acting_user=user, case=case, questionnaire=counselling,
                                         answers={"overall": 3}, taken_on=timezone.localdate())  # fmt: skip


def test_the_satisfaction_rate_per_programme_and_period(
    travel: Questionnaire, case: Case, case_ro: Case, reintegration_pk: User, supervisor_gr: User, viewer: User,
    counsellor_ro: User,
) -> None:  # fmt: skip
    from tests.money import money_programme

    programme = money_programme()
    Case.objects.filter(pk=case.pk).update(programme=programme)
    day = dt.date(2025, 3, 10)
    for overall, on in ((5, day), (4, day), (2, day), (3, day), (4, dt.date(2024, 12, 31))):
        services.satisfaction_record(acting_user=reintegration_pk, case=case, questionnaire=travel,
                                     answers={"overall": overall}, taken_on=on)  # fmt: skip
    rates = {r.code: r for r in selectors.satisfaction_rates(viewer, programme, dt.date(2025, 1, 1), None)}
    assert (rates["travel"].respondents, rates["travel"].satisfied, rates["travel"].rate) == (4, 2, 0.5)
    assert (rates["counselling"].respondents, rates["counselling"].rate) == (0, None)
    everything = {r.code: r for r in selectors.satisfaction_rates(supervisor_gr, programme)}
    assert everything["travel"].respondents == 5
    with pytest.raises(PermissionDenied):
        selectors.satisfaction_rates(counsellor_ro, programme)  # no aggregates in a mission of the programme


def test_a_file_nested_too_deeply_is_refused_in_words() -> None:
    with pytest.raises(ServiceError, match="nested too deeply"):
        services.parse_text("[" * 50_000)
