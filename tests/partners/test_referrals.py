"""Referrals in from partners, recorded on the case and kept in its history."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.partners import services
from homeward.partners.models import IncomingReferral, Partner
from tests.partners.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_counsellor_records_a_referral_on_the_case_page_and_the_history_keeps_it(
    counsellor_gr: User, case_gr: Case, ngo_gr: Partner
) -> None:
    client = client_for(counsellor_gr)
    page = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert 'id="partners-panel"' in page
    assert f'<option value="{ngo_gr.pk}">JRS Greece</option>' in page
    response = client.post(reverse("partners:referral_record", args=[case_gr.reference]), {
        "referral-partner": ngo_gr.pk, "referral-referred_on": "2026-11-12", "referral-contact_person": "Maria P.",
        "referral-note": "Family met at the day centre.",
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("#partners-panel")
    referral = IncomingReferral.objects.get()
    assert (referral.case, referral.partner, referral.referred_on, referral.recorded_by) == (
        case_gr,
        ngo_gr,
        dt.date(2026, 11, 12),
        counsellor_gr,
    )
    page = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert "Maria P." in page
    assert "Family met at the day centre." in page
    entry = LogEntry.objects.get_for_object(referral).get()
    assert (entry.action, entry.actor, entry.additional_data) == (LogEntry.Action.CREATE, counsellor_gr,
                                                                  {"case_id": case_gr.pk})  # fmt: skip


def test_removing_a_referral_is_kept_in_the_history(counsellor_gr: User, case_gr: Case, ngo_gr: Partner) -> None:
    referral = services.incoming_referral_record(
        acting_user=counsellor_gr, case=case_gr, partner=ngo_gr, referred_on=dt.date(2026, 11, 12)
    )
    response = client_for(counsellor_gr).post(
        reverse("partners:referral_remove", args=[case_gr.reference, referral.pk])
    )
    assert response.status_code == 302
    assert not IncomingReferral.objects.exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(referral.pk)).get()
    assert (deleted.actor, deleted.additional_data) == (counsellor_gr, {"case_id": case_gr.pk})


def test_a_partner_of_another_mission_or_a_future_date_is_refused(
    counsellor_gr: User, case_gr: Case, embassy_pk_ro: Partner
) -> None:
    with pytest.raises(ServiceError) as refused:
        services.incoming_referral_record(
            acting_user=counsellor_gr, case=case_gr, partner=embassy_pk_ro, referred_on=dt.date(2026, 12, 1)
        )
    assert refused.value.fields == {
        "partner": ["Choose a partner of the case's host mission."],
        "referred_on": ["The referral date is in the future."],
    }
    assert not IncomingReferral.objects.exists()


def test_who_does_not_change_the_case_records_no_referral(movement_gr: User, case_gr: Case, ngo_gr: Partner) -> None:
    with pytest.raises(PermissionDenied):
        services.incoming_referral_record(
            acting_user=movement_gr, case=case_gr, partner=ngo_gr, referred_on=dt.date(2026, 11, 12)
        )
    client = client_for(movement_gr)
    record = reverse("partners:referral_record", args=[case_gr.reference])
    assert record not in client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    response = client.post(record,
                           {"referral-partner": ngo_gr.pk, "referral-referred_on": "2026-11-12"})  # fmt: skip
    assert response.status_code == 403


def test_another_missions_counsellor_gets_404(counsellor_ro: User, case_gr: Case, ngo_gr: Partner) -> None:
    response = client_for(counsellor_ro).post(reverse("partners:referral_record", args=[case_gr.reference]),
                                              {"referral-partner": ngo_gr.pk, "referral-referred_on": "2026-11-12"})  # fmt: skip
    assert response.status_code == 404
