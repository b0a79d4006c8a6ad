"""Registering, changing and vetting providers: each rule, refused and allowed."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import selectors, services
from homeward.assistance.models import Provider
from homeward.core.errors import ServiceError
from tests.assistance.conftest import VALID_IBAN, bank, details, make_provider
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- registering


def test_the_reintegration_officer_of_pk_registers_a_provider_not_vetted_yet(
    reintegration_pk: User, pk: Mission
) -> None:
    provider = make_provider(reintegration_pk, pk)
    provider.refresh_from_db()
    assert provider.mission == pk
    assert provider.created_by == reintegration_pk
    assert provider.vetting_status == Provider.Vetting.NOT_VETTED
    assert provider.active
    assert provider.phone == "+923001234567"  # read in the provider's country
    assert not provider.has_bank_details


def test_the_reintegration_officer_of_pk_cannot_register_for_af(reintegration_pk: User, af: Mission) -> None:
    with pytest.raises(PermissionDenied, match="AF"):
        make_provider(reintegration_pk, af, country="AF", phone="")
    assert not Provider.objects.exists()


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.ME_OFFICER, Role.COUNSELLOR, Role.MOVEMENT_OFFICER])
def test_other_roles_of_the_mission_do_not_register_providers(pk: Mission, role: str) -> None:
    user = UserFactory(username=f"{role}.pk", roles=[(pk, role)])
    with pytest.raises(PermissionDenied):
        make_provider(user, pk)


def test_supervisors_and_administrators_register_providers(
    supervisor_pk: User, administrator: User, pk: Mission
) -> None:
    make_provider(supervisor_pk, pk, "Punjab Clinic", category=Provider.Category.HEALTH)
    make_provider(administrator, pk, "Rawalpindi School", category=Provider.Category.SCHOOL)
    assert Provider.objects.count() == 2


def test_a_host_mission_does_not_manage_providers(administrator: User, gr: Mission) -> None:
    with pytest.raises(ServiceError, match="not an origin mission") as refused:
        make_provider(administrator, gr)
    assert "mission" in refused.value.fields


def test_bad_details_are_refused_field_by_field(reintegration_pk: User, pk: Mission) -> None:
    with pytest.raises(ServiceError) as refused:
        make_provider(reintegration_pk, pk, "  ", country="ZZ", category="bakery", email="sales@", phone="12")
    assert set(refused.value.fields) == {"name", "country", "category", "email", "phone"}
    assert "is not an e-mail address" in refused.value.fields["email"][0]
    assert not Provider.objects.exists()


def test_the_name_is_tidied_and_the_email_lowered(reintegration_pk: User, pk: Mission) -> None:
    provider = make_provider(reintegration_pk, pk, "  Lahore   Tools  ", email="Sales@LahoreTools.example ")
    assert provider.name == "Lahore Tools"
    assert provider.email == "sales@lahoretools.example"


def test_a_duplicate_name_in_the_same_country_and_mission_is_refused(
    reintegration_pk: User, supervisor_pk: User, pk: Mission
) -> None:
    make_provider(reintegration_pk, pk, "Lahore Tools")
    with pytest.raises(ServiceError, match="PK already has a provider called LAHORE tools in Pakistan") as refused:
        make_provider(supervisor_pk, pk, "LAHORE  tools")
    assert "name" in refused.value.fields
    assert Provider.objects.count() == 1


def test_the_same_name_is_allowed_in_another_country_or_mission(
    reintegration_pk: User, administrator: User, pk: Mission, af: Mission
) -> None:
    make_provider(reintegration_pk, pk, "Kabul Motors", country="PK")
    make_provider(reintegration_pk, pk, "Kabul Motors", country="AF", phone="")
    make_provider(administrator, af, "Kabul Motors", country="PK")
    assert Provider.objects.filter(name="Kabul Motors").count() == 3


def test_the_database_refuses_a_duplicate_that_slipped_past_the_check(provider: Provider) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Provider.objects.create(
            name=provider.name.upper(),
            country="PK",
            category="other",
            mission=provider.mission,
            created_by=provider.created_by,
        )


# ---------------------------------------------------------------- bank details


def test_the_finance_officer_enters_bank_details_and_an_iban_is_stored_compact(
    provider: Provider, finance_pk: User
) -> None:
    services.provider_update(
        acting_user=finance_pk, provider=provider, bank=bank(account_number="pk36 scbl 0000 0011 2345 6702")
    )
    provider.refresh_from_db()
    assert provider.account_number == VALID_IBAN
    assert provider.account_display == "PK36 SCBL 0000 0011 2345 6702"
    assert provider.swift_bic == "SCBLPKKX"


def test_an_iban_with_wrong_check_digits_is_refused(provider: Provider, finance_pk: User) -> None:
    with pytest.raises(ServiceError) as refused:
        services.provider_update(
            acting_user=finance_pk, provider=provider, bank=bank(account_number="PK36SCBL0000001123456703")
        )
    assert "check digits do not match" in refused.value.fields["account_number"][0]
    provider.refresh_from_db()
    assert provider.account_number == ""


def test_a_plain_account_number_is_accepted_where_there_is_no_iban(provider: Provider, finance_pk: User) -> None:
    services.provider_update(
        acting_user=finance_pk, provider=provider, bank=bank(account_number="0012-3456789-01", swift_bic="")
    )
    provider.refresh_from_db()
    assert provider.account_number == "0012-3456789-01"


def test_an_account_needs_its_holder_and_number_and_a_bic_its_shape(provider: Provider, finance_pk: User) -> None:
    with pytest.raises(ServiceError) as refused:
        services.provider_update(
            acting_user=finance_pk,
            provider=provider,
            bank=services.BankDetails(bank_name="HBL", swift_bic="HBL"),
        )
    assert set(refused.value.fields) == {"account_holder", "account_number", "swift_bic"}


def test_bank_details_are_cleared_by_sending_them_empty(with_bank: Provider, finance_pk: User) -> None:
    services.provider_update(acting_user=finance_pk, provider=with_bank, bank=services.BankDetails())
    with_bank.refresh_from_db()
    assert not with_bank.has_bank_details


def test_the_reintegration_officer_cannot_enter_bank_details(provider: Provider, reintegration_pk: User) -> None:
    with pytest.raises(PermissionDenied, match="finance officers"):
        services.provider_update(acting_user=reintegration_pk, provider=provider, bank=bank())
    with pytest.raises(PermissionDenied):
        services.provider_create(
            acting_user=reintegration_pk, mission=provider.mission, data=details("Other"), bank=bank()
        )


def test_the_finance_officer_changes_bank_details_but_not_the_rest(provider: Provider, finance_pk: User) -> None:
    with pytest.raises(PermissionDenied):
        services.provider_update(acting_user=finance_pk, provider=provider, data=details("Renamed"))


def test_a_supervisor_registers_a_provider_with_its_bank_details(supervisor_pk: User, pk: Mission) -> None:
    provider = services.provider_create(acting_user=supervisor_pk, mission=pk, data=details(), bank=bank())
    assert provider.account_number == VALID_IBAN


def test_the_finance_officer_of_another_mission_cannot_touch_them(provider: Provider, af: Mission) -> None:
    finance_af = UserFactory(username="finance.af", roles=[(af, Role.FINANCE_OFFICER)])
    with pytest.raises(PermissionDenied):
        services.provider_update(acting_user=finance_af, provider=provider, bank=bank())


# ---------------------------------------------------------------- changing details


def test_a_change_saves_only_what_changed_and_is_audited(provider: Provider, reintegration_pk: User) -> None:
    data = services.provider_input_of(provider)
    services.provider_update(
        acting_user=reintegration_pk,
        provider=provider,
        data=services.ProviderInput(**{**data.__dict__, "contact_person": "Sana Malik", "active": False}),
    )
    provider.refresh_from_db()
    assert provider.contact_person == "Sana Malik"
    assert not provider.active
    entry = LogEntry.objects.get_for_object(provider).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == reintegration_pk
    assert entry.changes_dict == {"contact_person": ["Bilal Ahmed", "Sana Malik"], "active": ["True", "False"]}


def test_renaming_onto_another_provider_is_refused(provider: Provider, reintegration_pk: User) -> None:
    other = make_provider(reintegration_pk, provider.mission, "Punjab Clinic", category=Provider.Category.HEALTH)
    data = services.provider_input_of(other)
    with pytest.raises(ServiceError, match="already has a provider"):
        services.provider_update(
            acting_user=reintegration_pk,
            provider=other,
            data=services.ProviderInput(**{**data.__dict__, "name": "lahore tools & co"}),
        )


def test_the_reintegration_officer_of_af_cannot_change_pks_provider(provider: Provider, reintegration_af: User) -> None:
    with pytest.raises(PermissionDenied):
        services.provider_update(
            acting_user=reintegration_af, provider=provider, data=services.provider_input_of(provider)
        )


# ---------------------------------------------------------------- vetting


def test_the_registrar_starts_vetting_but_a_supervisor_decides(
    provider: Provider, reintegration_pk: User, supervisor_pk: User
) -> None:
    services.provider_vetting_set(acting_user=reintegration_pk, provider=provider, status="in_progress")
    assert provider.vetting_status == Provider.Vetting.IN_PROGRESS
    assert provider.vetted_on is None
    services.provider_vetting_set(
        acting_user=supervisor_pk, provider=provider, status="vetted", note="Premises visited, tax number checked."
    )
    provider.refresh_from_db()
    assert provider.is_vetted
    assert provider.vetted_on == timezone.localdate()
    assert provider.vetted_by == supervisor_pk


def test_the_reintegration_officer_cannot_decide_on_vetting(
    provider: Provider, reintegration_pk: User, pk: Mission
) -> None:
    colleague = UserFactory(username="reintegration2.pk", roles=[(pk, Role.REINTEGRATION_OFFICER)])
    for user in (reintegration_pk, colleague):
        with pytest.raises(PermissionDenied):
            services.provider_vetting_set(acting_user=user, provider=provider, status="vetted")
    provider.refresh_from_db()
    assert provider.vetting_status == Provider.Vetting.NOT_VETTED


def test_the_supervisor_who_registered_a_provider_cannot_vet_it(supervisor_pk: User, pk: Mission) -> None:
    own = make_provider(supervisor_pk, pk, "Own Supplier")
    with pytest.raises(PermissionDenied, match="separation of duties"):
        services.provider_vetting_set(acting_user=supervisor_pk, provider=own, status="vetted")
    assert not selectors.can_decide_vetting(supervisor_pk, own)
    # but another supervisor of the mission can
    other = UserFactory(username="supervisor2.pk", roles=[(pk, Role.CASE_SUPERVISOR)])
    services.provider_vetting_set(acting_user=other, provider=own, status="vetted")
    assert own.is_vetted


def test_an_administrator_decides_and_the_supervisor_of_another_mission_does_not(
    provider: Provider, administrator: User, af: Mission
) -> None:
    supervisor_af = UserFactory(username="supervisor.af", roles=[(af, Role.CASE_SUPERVISOR)])
    with pytest.raises(PermissionDenied):
        services.provider_vetting_set(acting_user=supervisor_af, provider=provider, status="vetted")
    services.provider_vetting_set(acting_user=administrator, provider=provider, status="vetted")
    assert provider.is_vetted


def test_rejection_and_suspension_say_why(provider: Provider, supervisor_pk: User) -> None:
    for status in ("rejected", "suspended"):
        with pytest.raises(ServiceError) as refused:
            services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status=status, note=" ")
        assert "note" in refused.value.fields
    services.provider_vetting_set(
        acting_user=supervisor_pk, provider=provider, status="suspended", note="Invoices for goods never delivered."
    )
    assert provider.vetting_status == Provider.Vetting.SUSPENDED


def test_a_decision_is_not_dated_in_the_future_and_an_unknown_status_is_refused(
    provider: Provider, supervisor_pk: User
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        services.provider_vetting_set(
            acting_user=supervisor_pk, provider=provider, status="vetted", decided_on=tomorrow
        )
    assert "decided_on" in refused.value.fields
    with pytest.raises(ServiceError):
        services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status="approved")
    last_week = timezone.localdate() - dt.timedelta(days=7)
    services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status="vetted", decided_on=last_week)
    assert provider.vetted_on == last_week


def test_going_back_to_vetting_in_progress_clears_the_decision(
    provider: Provider, supervisor_pk: User, reintegration_pk: User
) -> None:
    services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status="vetted")
    services.provider_vetting_set(
        acting_user=reintegration_pk, provider=provider, status="in_progress", note="Re-check"
    )
    provider.refresh_from_db()
    assert (provider.vetting_status, provider.vetted_on, provider.vetted_by) == ("in_progress", None, None)


# ---------------------------------------------------------------- choosing providers


def test_only_an_active_vetted_provider_may_be_chosen(provider: Provider, supervisor_pk: User) -> None:
    with pytest.raises(ServiceError, match="Lahore Tools & Co has not been vetted"):
        services.require_vetted(provider)
    services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status="vetted")
    services.require_vetted(provider)
    services.provider_update(
        acting_user=supervisor_pk,
        provider=provider,
        data=services.ProviderInput(**{**services.provider_input_of(provider).__dict__, "active": False}),
    )
    with pytest.raises(ServiceError, match="no longer active"):
        services.require_vetted(provider)


def test_vetted_providers_of_a_mission_by_category(
    reintegration_pk: User, reintegration_af: User, supervisor_pk: User, administrator: User, pk: Mission, af: Mission
) -> None:
    def vetted(user: User, mission: Mission, name: str, category: str, **extra: object) -> Provider:
        p = make_provider(user, mission, name, category=category, **extra)
        services.provider_vetting_set(acting_user=administrator, provider=p, status="vetted")
        return p

    tools = vetted(reintegration_pk, pk, "Tools", Provider.Category.SUPPLIER)
    school = vetted(reintegration_pk, pk, "School", Provider.Category.SCHOOL)
    make_provider(reintegration_pk, pk, "Unvetted", category=Provider.Category.SUPPLIER)
    rejected = make_provider(reintegration_pk, pk, "Rejected", category=Provider.Category.SUPPLIER)
    services.provider_vetting_set(acting_user=supervisor_pk, provider=rejected, status="rejected", note="No premises")
    vetted(reintegration_af, af, "Kabul Tools", Provider.Category.SUPPLIER, country="AF", phone="")
    assert list(selectors.vetted_providers(pk)) == [school, tools]
    assert list(selectors.vetted_providers(pk, Provider.Category.SUPPLIER)) == [tools]


# ---------------------------------------------------------------- the audit log


def test_the_audit_log_keeps_that_bank_details_changed_never_their_values(
    with_bank: Provider, finance_pk: User
) -> None:
    services.provider_update(
        acting_user=finance_pk, provider=with_bank, bank=bank(account_number="GB82WEST12345698765432")
    )
    entries = LogEntry.objects.get_for_object(with_bank).filter(action=LogEntry.Action.UPDATE)
    assert [e.actor for e in entries] == [finance_pk, finance_pk]
    raw = " ".join(str(e.changes) for e in entries)
    for secret in (VALID_IBAN, "GB82WEST12345698765432", "123456", "Standard Chartered", "SCBLPKKX"):
        assert secret not in raw
    latest = entries.order_by("-pk").first()
    assert latest is not None
    assert latest.changes_dict["account_number"] == ["••••6702", "••••5432"]


def test_changing_the_bank_account_of_a_vetted_provider_sends_it_back_to_vetting(
    with_bank: Provider, finance_pk: User, supervisor_pk: User
) -> None:
    services.provider_vetting_set(acting_user=supervisor_pk, provider=with_bank, status="vetted", note="Visited.")
    services.require_vetted(with_bank)
    services.provider_update(acting_user=finance_pk, provider=with_bank, bank=bank(account_number="PK00 1234"))
    with_bank.refresh_from_db()
    assert (with_bank.vetting_status, with_bank.vetted_by) == ("in_progress", None)
    with pytest.raises(ServiceError, match="has not been vetted"):
        services.require_vetted(with_bank)
