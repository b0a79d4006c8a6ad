"""The review pages: duplicates of a batch run, two records side by side, a merge, the case page's panel."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from homeward.cases.models import CaseStatus, Transition
from homeward.jobs.models import Job
from homeward.jobs.services import job_run
from homeward.matching.models import NotSamePerson, PersonMerge
from tests.factories import PASSWORD
from tests.journey import set_status
from tests.matching.conftest import REASON, registered

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def departed(person, user) -> None:
    """The person's case went home with assistance."""
    case = person.memberships.get().case
    set_status(case, CaseStatus.DEPARTED)
    Transition.objects.create(case=case, from_status=CaseStatus.TRAVEL_BOOKED, to_status=CaseStatus.DEPARTED, by=user)


def pair_url(a, b) -> str:
    return reverse("matching:pair", args=[a.pk, b.pk])


def test_the_duplicates_menu_and_page_are_for_case_supervisors(supervisor_gr, counsellor_gr):
    page = signed_in(supervisor_gr).get(reverse("cases:list"))
    assert reverse("matching:duplicates") in page.content.decode()
    assert reverse("matching:duplicates") not in signed_in(counsellor_gr).get(reverse("cases:list")).content.decode()

    page = signed_in(supervisor_gr).get(reverse("matching:duplicates"))
    assert page.status_code == 200
    assert b'id="no-run"' in page.content
    assert signed_in(counsellor_gr).get(reverse("matching:duplicates")).status_code == 403
    assert signed_in(counsellor_gr).post(reverse("matching:duplicates_run")).status_code == 403


def test_a_run_lists_its_pairs_most_probable_first(supervisor_gr, earlier, later, counsellor_ro, ro):
    registered(counsellor_ro, ro, "Mohammed", "Al Hasan", year=1990)  # another mission's: not listed
    client = signed_in(supervisor_gr)
    assert client.post(reverse("matching:duplicates_run")).status_code == 302
    job = Job.objects.get(owner=supervisor_gr, kind="matching.duplicates")
    page = client.get(reverse("matching:duplicates"))
    assert b'id="no-run"' not in page.content
    assert b"progress" in page.content  # still waiting for the worker

    job_run(job.pk)
    page = client.get(reverse("matching:duplicates")).content.decode()
    assert 'id="run-summary"' in page
    low, high = sorted((earlier.pk, later.pk))
    assert f'id="pair-{low}-{high}"' in page
    assert page.count('class="duplicate-pair"') == 1
    assert pair_url(earlier, later) in page or reverse("matching:pair", args=[low, high]) in page

    # Once decided, the pair leaves the list.
    NotSamePerson.objects.create(first_id=low, second_id=high, decided_by=supervisor_gr)
    page = client.get(reverse("matching:duplicates")).content.decode()
    assert 'class="duplicate-pair"' not in page


def test_the_pair_page_shows_both_records_and_the_reasons(supervisor_gr, earlier, later):
    departed(earlier, supervisor_gr)
    page = signed_in(supervisor_gr).get(pair_url(earlier, later))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Muhammad Al-Hassan" in html
    assert "Mohamad Alhasan" in html
    reasons = html.split('id="pair-reasons"')[1].split("</ul>")[0]
    assert "names match after transliteration" in reasons or "same names after transliteration" in reasons
    assert "same document number" in reasons
    assert "dates of birth compatible (one is less precise)" in reasons
    assert "text-success" in reasons
    assert "returned with assistance on" in html
    assert 'id="merge-left"' in html
    assert 'id="not-same"' in html


def test_a_counsellor_sees_the_pair_but_may_not_decide(counsellor_gr, earlier, later):
    client = signed_in(counsellor_gr)
    page = client.get(pair_url(earlier, later))
    assert page.status_code == 200
    assert b'id="merge-left"' not in page.content
    url = reverse("matching:pair_merge", args=[earlier.pk, later.pk])
    assert client.post(url, {"merge-reason": REASON, "merge-into": "left"}).status_code == 403
    assert client.post(reverse("matching:pair_not_same", args=[earlier.pk, later.pk])).status_code == 403
    assert not PersonMerge.objects.exists()


def test_another_missions_person_is_not_found(supervisor_gr, counsellor_ro, ro, earlier, later):
    in_ro = registered(counsellor_ro, ro, "Mohammed", "Al Hasan", year=1990)
    client = signed_in(supervisor_gr)
    assert client.get(pair_url(earlier, in_ro)).status_code == 404
    assert client.post(reverse("matching:pair_merge", args=[earlier.pk, in_ro.pk]),
                       {"merge-reason": REASON, "merge-into": "left"}).status_code == 404  # fmt: skip
    assert signed_in(counsellor_ro).get(pair_url(earlier, later)).status_code == 404


def test_merge_from_the_pair_page_then_undo(supervisor_gr, earlier, later):
    client = signed_in(supervisor_gr)
    url = reverse("matching:pair_merge", args=[earlier.pk, later.pk])

    refused = client.post(url, {"merge-reason": "dup", "merge-into": "right"})
    assert refused.status_code == 400
    assert b"invalid-feedback" in refused.content
    assert not PersonMerge.objects.exists()

    done = client.post(url, {"merge-reason": REASON, "merge-into": "right"})
    merge = PersonMerge.objects.get()
    assert (merge.survivor_id, merge.merged_id) == (later.pk, earlier.pk)
    assert done["Location"] == reverse("matching:merge", args=[merge.pk])
    page = client.get(done["Location"]).content.decode()
    case = earlier.memberships.model.objects.get(pk=merge.moved["cases.casemember.person"][0]).case
    assert case.reference in page
    assert 'id="merge-undo"' in page
    # The pair page now says so and offers no decision.
    page = client.get(pair_url(earlier, later)).content.decode()
    assert 'id="pair-merged"' in page
    assert 'id="merge-left"' not in page

    client.post(reverse("matching:merge_undo", args=[merge.pk]))
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert 'id="merge-undo"' not in client.get(reverse("matching:merge", args=[merge.pk])).content.decode()


def test_not_the_same_person_from_the_pair_page(supervisor_gr, earlier, later):
    client = signed_in(supervisor_gr)
    response = client.post(reverse("matching:pair_not_same", args=[earlier.pk, later.pk]), {"not_same-note": "Cousins"})
    assert response.status_code == 302
    page = client.get(pair_url(earlier, later)).content.decode()
    assert 'id="pair-not-same"' in page
    assert "Cousins" in page
    again = client.post(reverse("matching:pair_not_same", args=[earlier.pk, later.pk]), {"not_same-note": ""})
    assert again.status_code == 400
    assert NotSamePerson.objects.count() == 1


def test_the_case_page_names_likely_matches_and_hides_another_missions_case(
    supervisor_gr, counsellor_gr, counsellor_ro, ro, earlier, later
):
    case = later.memberships.get().case
    page = signed_in(counsellor_gr).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'id="matching-panel"' in page
    assert pair_url(later, earlier) in page

    in_ro = registered(counsellor_ro, ro, "Mohammed", "Al Hasan", year=1990)
    page = signed_in(counsellor_ro).get(reverse("cases:detail", args=[in_ro.memberships.get().case.reference]))
    html = page.content.decode()
    assert "A likely match in a case of IOM Greece" in html
    assert supervisor_gr.get_full_name() in html
    assert case.reference not in html
    assert "Alhasan" not in html
    assert reverse("matching:pair", args=[in_ro.pk, later.pk]) not in html


def test_the_panel_is_not_shown_without_matches(counsellor_gr, case_gr):
    page = signed_in(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference]))
    assert b'id="matching-panel"' not in page.content


def test_the_panel_leaves_out_pairs_said_to_be_two_people(supervisor_gr, counsellor_gr, earlier, later):
    from homeward.matching import services

    services.not_same_person(acting_user=supervisor_gr, first=earlier, second=later)
    case = later.memberships.get().case
    page = signed_in(counsellor_gr).get(reverse("cases:detail", args=[case.reference]))
    assert b'id="matching-panel"' not in page.content
