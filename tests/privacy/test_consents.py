"""The consent register: the declaration's ticks, recording, withdrawing, and what a withdrawal blocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from homeward.cases import referrals
from homeward.cases.models import Referral
from homeward.core.errors import ServiceError
from homeward.privacy import selectors, services
from homeward.privacy.models import Consent, How, Purpose
from tests import journey
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def signed(case, user, *, sharing=True):
    declaration = journey.declare(case, user)
    declaration.consent_sharing = sharing
    declaration.save(update_fields=["consent_sharing"])
    services.consents_from_declaration(acting_user=user, declaration=declaration)
    return declaration


def sharing_of(case, member):
    return Consent.objects.get(case=case, member=member, purpose=Purpose.SHARING_ORIGIN, withdrawn_on=None)


def test_signed_declaration_gives_each_member_both_consents(case_gr, counsellor_gr):
    signed(case_gr, counsellor_gr)
    assert Consent.objects.filter(case=case_gr, how=How.DECLARATION).count() == 2 * case_gr.members.count()
    assert selectors.shares_with_origin(case_gr) is True


def test_withdrawn_consent_to_sharing_blocks_the_referral(case_gr, counsellor_gr, supervisor_gr, pk):
    signed(case_gr, counsellor_gr)
    principal = case_gr.members.get(relationship="principal")
    services.consent_withdraw(acting_user=counsellor_gr, consent=sharing_of(case_gr, principal), withdrawn_on=TODAY())
    with pytest.raises(ServiceError, match="Imran Khan withdrew consent to sharing"):
        journey.refer(case_gr, supervisor_gr, pk)
    assert not Referral.objects.filter(case=case_gr).exists()


def test_consent_given_again_after_a_withdrawal_allows_sharing(case_gr, counsellor_gr, supervisor_gr, pk):
    signed(case_gr, counsellor_gr)
    principal = case_gr.members.get(relationship="principal")
    services.consent_withdraw(acting_user=counsellor_gr, consent=sharing_of(case_gr, principal), withdrawn_on=TODAY())
    services.consent_record(acting_user=counsellor_gr, case=case_gr, member=principal,
                            purpose=Purpose.SHARING_ORIGIN, how=How.FORM, given_on=TODAY())  # fmt: skip
    assert journey.refer(case_gr, supervisor_gr, pk).status == Referral.Status.PENDING


def test_withdrawal_takes_back_a_referral_awaiting_an_answer(case_gr, counsellor_gr, supervisor_gr, pk):
    signed(case_gr, counsellor_gr)
    referral = journey.refer(case_gr, supervisor_gr, pk)
    assert referral.package["members"]
    spouse = case_gr.members.get(relationship="spouse")
    services.consent_withdraw(acting_user=counsellor_gr, consent=sharing_of(case_gr, spouse), withdrawn_on=TODAY(),
                              note="Said so on the phone")  # fmt: skip
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RETURNED
    assert referral.package == {"reference": case_gr.reference, "withdrawn": True}


def test_withdrawal_after_acceptance_asks_the_supervisors_to_settle_it(
    case_gr, counsellor_gr, supervisor_gr, pk, reintegration_pk
):
    from homeward.work.models import Task

    signed(case_gr, counsellor_gr)
    journey.refer(case_gr, supervisor_gr, pk, receiver=reintegration_pk)
    principal = case_gr.members.get(relationship="principal")
    services.consent_withdraw(acting_user=counsellor_gr, consent=sharing_of(case_gr, principal), withdrawn_on=TODAY())
    task = Task.objects.get(case=case_gr, subject_key="consent_withdrawn")
    assert (task.mission_id, task.status) == (case_gr.host_mission_id, Task.Status.OPEN)
    with pytest.raises(ServiceError):  # and nothing is shared again
        referrals.referral_send(acting_user=supervisor_gr, case=case_gr, mission=pk)


def test_withdrawn_consent_to_processing_stops_the_case_going_on_but_not_going_out(case_gr, counsellor_gr):
    signed(case_gr, counsellor_gr)
    journey.set_status(case_gr, "return_declared")
    spouse = case_gr.members.get(relationship="spouse")
    processing = Consent.objects.get(case=case_gr, member=spouse, purpose=Purpose.PROCESSING, withdrawn_on=None)
    services.consent_withdraw(acting_user=counsellor_gr, consent=processing, withdrawn_on=TODAY())

    with pytest.raises(ServiceError, match=f"{spouse.person} withdrew consent to the processing of personal data"):
        journey.move(case_gr, counsellor_gr, "travel_preparation")
    services.consent_record(acting_user=counsellor_gr, case=case_gr, member=spouse,
                            purpose=Purpose.PROCESSING, how=How.FORM, given_on=TODAY())  # fmt: skip
    assert journey.move(case_gr, counsellor_gr, "travel_preparation").to_status == "travel_preparation"

    services.consent_withdraw(
        acting_user=counsellor_gr, consent=Consent.objects.get(case=case_gr, member=spouse,
                                                               purpose=Purpose.PROCESSING, withdrawn_on=None),
        withdrawn_on=TODAY(),
    )  # fmt: skip
    assert journey.move(case_gr, counsellor_gr, "withdrawn", note="No longer wants our help").to_status == "withdrawn"


def test_newer_declaration_without_the_tick_withdraws_sharing(case_gr, counsellor_gr):
    signed(case_gr, counsellor_gr)
    signed(case_gr, counsellor_gr, sharing=False)
    assert selectors.shares_with_origin(case_gr) is False
    assert Consent.objects.filter(case=case_gr, purpose=Purpose.SHARING_ORIGIN, withdrawn_on=None).count() == 0


def test_bad_input_is_refused_field_by_field(case_gr, counsellor_gr):
    principal = case_gr.members.get(relationship="principal")
    with pytest.raises(ServiceError) as refused:
        services.consent_record(acting_user=counsellor_gr, case=case_gr, member=principal, purpose="photos",
                                how=How.DECLARATION, given_on=TODAY() + dt.timedelta(days=1))  # fmt: skip
    assert set(refused.value.fields) == {"purpose", "how", "given_on"}
    consent = services.consent_record(acting_user=counsellor_gr, case=case_gr, member=principal,
                                      purpose=Purpose.PROCESSING, how=How.VERBAL, given_on=TODAY())  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        services.consent_withdraw(acting_user=counsellor_gr, consent=consent,
                                  withdrawn_on=TODAY() - dt.timedelta(days=3))  # fmt: skip
    assert "withdrawn_on" in refused.value.fields
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_counsellor_of_another_mission_cannot_record(case_gr, counsellor_ro):
    principal = case_gr.members.get(relationship="principal")
    with pytest.raises(PermissionDenied):
        services.consent_record(acting_user=counsellor_ro, case=case_gr, member=principal,
                                purpose=Purpose.PROCESSING, how=How.VERBAL, given_on=TODAY())  # fmt: skip


def test_consents_page_records_and_withdraws(client, case_gr, counsellor_gr, counsellor_ro):
    client.login(username=counsellor_gr.username, password=PASSWORD)
    url = reverse("privacy:consents", args=[case_gr.reference])
    principal = case_gr.members.get(relationship="principal")
    response = client.post(url, {"member": principal.pk, "purpose": Purpose.SHARING_ORIGIN, "how": How.FORM,
                                 "given_on": TODAY().isoformat()})  # fmt: skip
    assert response.status_code == 302
    consent = Consent.objects.get(member=principal)
    response = client.post(reverse("privacy:withdraw", args=[case_gr.reference, consent.pk]),
                           {"withdrawn_on": TODAY().isoformat(), "note": "by phone"}, follow=True)  # fmt: skip
    assert "Withdrawal recorded." in response.content.decode()
    assert "may not be shared" in response.content.decode()
    client.logout()
    client.login(username=counsellor_ro.username, password=PASSWORD)
    assert client.get(url).status_code == 404


def test_consents_api(client, case_gr, counsellor_gr):
    client.login(username=counsellor_gr.username, password=PASSWORD)
    principal = case_gr.members.get(relationship="principal")
    base = f"/api/v1/cases/{case_gr.pk}/consents"
    bad = client.post(base, {"member": principal.pk, "purpose": "processing", "how": "form",
                             "given_on": "2999-01-01"}, content_type="application/json")  # fmt: skip
    assert bad.status_code in (400, 422)
    assert "given_on" in bad.json()["fields"]
    made = client.post(base, {"member": principal.pk, "purpose": "processing", "how": "form",
                              "given_on": TODAY().isoformat()}, content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    gone = client.post(f"{base}/{made.json()['id']}/withdrawal", {"withdrawn_on": TODAY().isoformat()},
                       content_type="application/json")  # fmt: skip
    assert gone.status_code == 200
    assert gone.json()["standing"] is False
    assert [c["standing"] for c in client.get(base).json()] == [False]
