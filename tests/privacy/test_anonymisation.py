"""Retention and anonymisation: what goes, what stays, who is left alone, and that reports do not move."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models

from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.core.errors import ServiceError
from homeward.matching.models import MatchRecord
from homeward.people.models import IdentityDocument, Person
from homeward.privacy import erasure, services, tasks
from homeward.privacy.models import Anonymisation
from homeward.reporting.compute import compute
from homeward.reporting.periods import Period
from homeward.reporting.selectors import Scope
from tests.privacy.conftest import end_case

pytestmark = pytest.mark.django_db
SECRETS = ("Imran", "Zaheer", "Bilal", "ZX9876543", "7654321", "after 5pm")


def everything_stored() -> str:
    """Every text and JSON value in every table, audit log included: what a database dump would show."""
    parts = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField | models.JSONField)]  # fmt: skip
        if names:
            parts += [json.dumps(row, default=str) for row in model.objects.values_list(*names)]
    return "\n".join(parts)


def figures(programme, gr) -> dict:
    scope = Scope(programme=programme, period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                  missions=frozenset({gr.pk}), suppress=False, threshold=0)  # fmt: skip
    return compute(scope)["indicators"]


def test_expired_case_is_anonymised_and_nothing_identifies_it_any_more(zaheer, counsellor_gr):
    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=3 * 365))
    assert all(s in everything_stored() for s in SECRETS)  # the check can fail
    done = tasks.run()
    assert len(done) == 2
    stored = everything_stored()
    assert [s for s in SECRETS if s in stored] == []
    imran = Person.objects.get(pk=done[0].pk)
    assert (imran.given_names, imran.phone, imran.sex, imran.nationality.code) == ("[anonymised]", "", imran.sex, "PK")
    assert imran.birth_date.year == 1985
    assert not IdentityDocument.objects.filter(person=imran).exists()
    assert not MatchRecord.objects.filter(person=imran).exists()
    assert Case.objects.get(pk=zaheer.pk).status == CaseStatus.CLOSED  # the outcome is kept
    assert Anonymisation.objects.get(person=imran).kind == Anonymisation.Kind.RETENTION
    assert LogEntry.objects.get_for_model(Anonymisation).count() == 2  # one entry per person


def test_report_figures_are_the_same_after_anonymisation(zaheer, counsellor_gr, programme, gr):
    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=3 * 365))
    before = figures(programme, gr)
    assert before["persons_assisted"]["value"] == 2
    tasks.run()
    assert figures(programme, gr) == before


def test_the_year_alone_is_kept_unless_an_age_would_change():
    # Bilal turned 18 on 14 March 2025 and departed on 1 May: a 1 July birthday would make him 17.
    days = [dt.date(2025, 5, 1)]
    assert erasure.reduced_birth(dt.date(2007, 3, 14), "exact", days) == (dt.date(2007, 3, 1), "month")
    assert erasure.reduced_birth(dt.date(1985, 9, 14), "exact", days) == (dt.date(1985, 1, 1), "year")


def test_case_within_retention_or_open_is_left_alone(zaheer, counsellor_gr, case_gr):
    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=365))  # retention is 2 years
    assert tasks.run(dry_run=False) == []
    assert Person.objects.filter(given_names="Imran", family_name="Zaheer").exists()
    assert not Anonymisation.objects.exists()


def test_person_also_in_an_open_case_is_left_alone(zaheer, counsellor_gr, case_gr):
    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=3 * 365))
    bilal = zaheer.members.get(relationship="child").person
    CaseMember.objects.create(case=case_gr, person=bilal, relationship="other")
    done = tasks.run()
    assert [p.given_names for p in done] == ["Imran"]
    assert Person.objects.get(pk=bilal.pk).given_names == "Bilal"
    assert Case.objects.get(pk=zaheer.pk).notes  # the case's notes go with its last person


def test_dry_run_changes_nothing(zaheer, counsellor_gr):
    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=3 * 365))
    assert len(tasks.run(dry_run=True)) == 2
    assert not Anonymisation.objects.exists()


def test_the_daily_task_queues_itself_again(zaheer, counsellor_gr):
    from homeward.core.tasks import waiting

    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=3 * 365))
    assert tasks.anonymise_expired.call() == 2
    queued = waiting(tasks.anonymise_expired)
    assert queued.count() == 1
    assert not tasks.ensure_anonymisation_scheduled()  # one waiting run, however often asked


def test_supervisor_erases_a_closed_case_on_request(zaheer, counsellor_gr, supervisor_gr):
    end_case(zaheer, counsellor_gr, ended_ago=dt.timedelta(days=10))  # well within retention
    with pytest.raises(ServiceError, match="at least 10 characters"):
        services.person_erase(acting_user=supervisor_gr, case=zaheer, reason="asked")
    with pytest.raises(PermissionDenied):
        services.person_erase(acting_user=counsellor_gr, case=zaheer, reason="Written request of 3 May")
    done = services.person_erase(acting_user=supervisor_gr, case=zaheer, reason="Written request of 3 May")
    assert {a.kind for a in done} == {Anonymisation.Kind.REQUEST}
    assert "Zaheer" not in everything_stored()


def test_erasing_an_open_case_is_refused_with_a_message(client, case_gr, supervisor_gr):
    from tests.factories import PASSWORD

    with pytest.raises(ServiceError, match="only once it is closed"):
        services.person_erase(acting_user=supervisor_gr, case=case_gr, reason="Written request of 3 May")
    client.login(username=supervisor_gr.username, password=PASSWORD)
    response = client.post(f"/api/v1/cases/{case_gr.pk}/anonymisation", {"reason": "Written request of 3 May"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert "only once it is closed" in response.json()["message"]
    assert not Anonymisation.objects.exists()


def test_every_model_holding_a_person_or_case_is_classified():
    """A new model pointing at a person, member or case must say how it is anonymised (erasure.SPECS)."""
    targets = (Person, CaseMember, Case)
    pointing = {
        m._meta.label for m in apps.get_models()
        for f in m._meta.concrete_fields if f.is_relation and f.related_model in targets
    }  # fmt: skip
    missing = pointing - set(erasure.SPECS) - {"privacy.Anonymisation", "privacy.Export"}
    assert missing == set()
