"""Two people changing one case at once: nobody's work is silently overwritten."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases import services
from homeward.cases.models import Case, CaseStatus
from homeward.core.concurrency import ConflictError
from tests import journey
from tests.concurrency import race
from tests.factories import case_data


def _edit(case: Case, **changes: Any) -> services.CaseInput:
    return case_data(
        destination_place=changes.get("destination_place", case.destination_place),
        notes=changes.get("notes", case.notes),
        counsellor=case.counsellor,
    )


@pytest.mark.django_db
def test_the_second_of_two_edits_from_the_same_version_gets_a_conflict(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case
) -> None:
    first = Case.objects.get(pk=case_gr.pk)
    second = Case.objects.get(pk=case_gr.pk)
    services.case_update(acting_user=counsellor_gr, case=first, data=_edit(first, notes="prefers a morning flight"),
                         expected_version=1)  # fmt: skip
    with pytest.raises(ConflictError):
        services.case_update(acting_user=supervisor_gr, case=second, data=_edit(second, destination_place="Multan"),
                             expected_version=1)  # fmt: skip
    case_gr.refresh_from_db()
    assert case_gr.notes == "prefers a morning flight"
    assert case_gr.destination_place == "Lahore"
    assert case_gr.version == 2


@pytest.mark.django_db
def test_partial_updates_without_a_version_keep_each_others_fields(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case
) -> None:
    first = Case.objects.get(pk=case_gr.pk)
    second = Case.objects.get(pk=case_gr.pk)
    services.case_update(
        acting_user=counsellor_gr, case=first, data=_edit(first, notes="morning flight"), only={"notes"}
    )
    services.case_update(acting_user=supervisor_gr, case=second, data=_edit(second, destination_place="Multan"),
                         only={"destination_place"})  # fmt: skip
    case_gr.refresh_from_db()
    assert (case_gr.notes, case_gr.destination_place) == ("morning flight", "Multan")


@pytest.mark.django_db
def test_the_edit_page_shows_the_current_case_and_what_the_second_user_typed(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case
) -> None:
    url = reverse("cases:edit", args=[case_gr.reference])
    form = {
        "destination_country": "PK", "destination_place": "Lahore", "referral_source": "ngo",
        "inquiry_date": case_gr.inquiry_date.isoformat(), "counsellor": counsellor_gr.pk, "version": 1,
    }  # fmt: skip
    alice, bob = Client(), Client()
    alice.force_login(counsellor_gr)
    bob.force_login(supervisor_gr)
    assert alice.post(url, {**form, "notes": "Alice's note"}).status_code == 302
    page = bob.post(url, {**form, "destination_place": "Multan"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Someone else changed this case" in body
    assert "Multan" in body  # what Bob typed, shown so he can apply it again
    assert "Alice&#x27;s note" in body  # the form now holds the current case
    assert 'name="version" value="2"' in body
    case_gr.refresh_from_db()
    assert (case_gr.notes, case_gr.destination_place) == ("Alice's note", "Lahore")


@pytest.mark.django_db
def test_the_api_answers_409_to_a_stale_version(counsellor_gr: User, case_gr: Case) -> None:
    from tests.api.conftest import ApiClient, make_token

    api = ApiClient(make_token(counsellor_gr))
    assert api.patch(f"/cases/{case_gr.pk}", {"notes": "first", "version": 1}).status_code == 200
    stale = api.patch(f"/cases/{case_gr.pk}", {"notes": "second", "version": 1})
    assert stale.status_code == 409
    assert set(stale.json()) == {"message", "fields"}
    assert api.get(f"/cases/{case_gr.pk}").json()["notes"] == "first"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_from_one_version_commit_one_and_refuse_the_other(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case
) -> None:
    def edit(user: User, **changes: str) -> Case:
        case = Case.objects.get(pk=case_gr.pk)
        return services.case_update(acting_user=user, case=case, data=_edit(case, **changes), expected_version=1)

    results = race(
        lambda: edit(counsellor_gr, notes="from Alice"), lambda: edit(supervisor_gr, destination_place="Multan")
    )
    assert sorted(type(r).__name__ for r in results) == ["Case", "ConflictError"]
    case_gr.refresh_from_db()
    winner = 0 if isinstance(results[0], Case) else 1
    assert case_gr.version == 2
    assert (case_gr.notes, case_gr.destination_place) == (("from Alice", "Lahore"), ("", "Multan"))[winner]


@pytest.mark.django_db(transaction=True)
def test_two_officers_confirming_the_same_move_record_it_once(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case, gr: Mission
) -> None:
    Case.objects.filter(pk=case_gr.pk).update(status=CaseStatus.REGISTERED)

    def start(user: User) -> Any:
        return journey.move(Case.objects.get(pk=case_gr.pk), user, CaseStatus.IN_COUNSELLING)

    results = race(lambda: start(counsellor_gr), lambda: start(supervisor_gr))
    names = sorted(type(r).__name__ for r in results)
    assert names == ["ServiceError", "Transition"], results
    assert case_gr.transitions.count() == 1
    assert case_gr.tasks.filter(kind="counsel", status="open").count() == 1
