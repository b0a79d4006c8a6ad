from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import services
from homeward.cases.models import Case, CaseMember, CaseStatus, Relationship
from homeward.core.errors import ServiceError
from homeward.people.inputs import DocumentInput
from homeward.people.models import IdentityDocument, Person, PersonVulnerability
from tests.factories import UserFactory, case_data, family_of_three, person, register_case

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Case, Person, CaseMember, IdentityDocument, PersonVulnerability))


def test_register_family_creates_case_members_and_documents(counsellor_gr: User, gr: Mission) -> None:
    case = register_case(counsellor_gr, gr, family_of_three(), counsellor=counsellor_gr)
    assert re.fullmatch(r"GR-\d{4}-000001", case.reference)
    members = list(case.members.select_related("person").order_by("pk"))
    assert [m.relationship for m in members] == ["principal", "spouse", "child"]
    principal = members[0].person
    assert principal.phone == "+923001234567"
    assert principal.documents.get().number == "AB1234567"
    assert members[2].person.birth_date_precision == "month"
    assert case.status == CaseStatus.INQUIRY
    assert case.counsellor == counsellor_gr


def test_references_count_up_per_mission_and_never_repeat(
    counsellor_gr: User, gr: Mission, counsellor_ro: User, ro: Mission
) -> None:
    first = register_case(counsellor_gr, gr, family_of_three("A"))
    second = register_case(counsellor_gr, gr, family_of_three("B"))
    other = register_case(counsellor_ro, ro, family_of_three("C"))
    assert first.reference.endswith("-000001")
    assert second.reference.endswith("-000002")
    assert other.reference.startswith("RO-")
    assert other.reference.endswith("-000001")


def test_a_local_phone_number_is_read_in_the_host_missions_country(counsellor_gr: User, gr: Mission) -> None:
    principal = person("Imran", "Khan", phone="691 234 5678")
    case = register_case(counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, principal)])
    assert case.members.get().person.phone == "+306912345678"


def test_registering_as_registered_dates_the_registration(counsellor_gr: User, gr: Mission) -> None:
    case = services.case_register(
        acting_user=counsellor_gr, host_mission=gr, data=case_data(), members=family_of_three(), status="registered"
    )
    assert case.registered_on is not None


def test_a_registration_recorded_earlier_keeps_its_date_and_programme(counsellor_gr: User, gr: Mission) -> None:
    from tests.money import money_programme

    programme = money_programme()
    register = {"acting_user": counsellor_gr, "host_mission": gr, "members": family_of_three(), "status": "registered"}
    first_contact = dt.date.today() - dt.timedelta(days=30)
    case = services.case_register(**register, data=case_data(inquiry_date=first_contact),
                                  registered_on=first_contact + dt.timedelta(days=2), programme=programme)  # fmt: skip
    assert (case.registered_on, case.programme) == (first_contact + dt.timedelta(days=2), programme)
    for bad, field in (({"registered_on": first_contact - dt.timedelta(days=1)}, "registered_on"),
                       ({"registered_on": dt.date.today() + dt.timedelta(days=1)}, "registered_on"),
                       ({"registered_on": first_contact, "status": "inquiry"}, "registered_on")):  # fmt: skip
        with pytest.raises(ServiceError) as error:
            services.case_register(**{**register, **bad}, data=case_data(inquiry_date=first_contact))
        assert field in error.value.fields


def test_a_case_joins_only_a_programme_its_mission_implements(counsellor_gr: User, ro: Mission) -> None:
    from tests.money import money_programme

    programme = money_programme()  # implemented by GR only
    counsellor_ro = UserFactory(username="counsellor.ro2", roles=[(ro, Role.COUNSELLOR)])
    with pytest.raises(ServiceError) as error:
        services.case_register(acting_user=counsellor_ro, host_mission=ro, data=case_data(), members=family_of_three(),
                               programme=programme)  # fmt: skip
    assert "programme" in error.value.fields
    assert Case.objects.count() == 0


def test_an_unknown_country_of_a_person_is_refused_with_djangos_words(counsellor_gr: User, gr: Mission) -> None:
    members = [services.MemberInput(Relationship.PRINCIPAL, person("Imran", "Khan", year=1985, nationality="QQ"))]
    with pytest.raises(ServiceError) as error:
        register_case(counsellor_gr, gr, members)
    assert any("'QQ' is not a valid choice" in message for message in
               error.value.fields["members.0.nationality"])  # fmt: skip


def test_a_name_typed_only_in_its_original_script_gets_a_latin_spelling(counsellor_gr: User, gr: Mission) -> None:
    principal = person("", "", given_names_original="Μαρία", family_name_original="Παπαδοπούλου")
    case = register_case(counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, principal)])
    stored = case.members.get().person
    assert stored.given_names == "Maria"
    assert stored.given_names_original == "Μαρία"


@pytest.mark.parametrize(
    ("members", "field", "message"),
    [
        (lambda: [services.MemberInput(Relationship.SPOUSE, person("A", "B"))], "members", "principal"),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B")), services.MemberInput(Relationship.PRINCIPAL, person("C", "B"))],
            "members",
            "Only one",
        ),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", year=1990)), services.MemberInput(Relationship.CHILD, person("C", "B", year=1980))],
            "members.1.birth_date",
            "child cannot be older",
        ),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", year=1990)), services.MemberInput(Relationship.PARENT, person("C", "B", year=1995))],
            "members.1.birth_date",
            "parent cannot be younger",
        ),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("Ali", "Khan", year=1990)), services.MemberInput(Relationship.SIBLING, person("Alí", "Khán", year=1990))],
            "members.1.given_names",
            "repeats member 1",
        ),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", year=dt.date.today().year + 1))],
            "members.0.birth_date",
            "future",
        ),
        (lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", nationality="XX"))], "members.0.nationality", "valid choice"),
        (lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", phone="12"))], "members.0.phone", "phone number"),
        (lambda: [services.MemberInput(Relationship.PRINCIPAL, person("", ""))], "members.0.given_names", "given names"),
        (lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", languages=["zz9"]))], "members.0.languages", "Unknown language"),
        (lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", vulnerabilities=["child"]))], "members.0.vulnerabilities", "date of birth"),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B", year=1980, vulnerabilities=["unaccompanied_child"]))],
            "members.0.vulnerabilities",
            "under 18",
        ),
        (
            lambda: [services.MemberInput(Relationship.PRINCIPAL, person("A", "B"), [DocumentInput("passport", "X1", "PK", dt.date(2030, 1, 1), dt.date(2020, 1, 1))])],
            "members.0.documents.0.expires_on",
            "after the issue date",
        ),
    ],
)  # fmt: skip
def test_bad_registration_is_refused_with_a_message_and_saves_nothing(
    counsellor_gr: User, gr: Mission, members: object, field: str, message: str
) -> None:
    before = _counts()
    with pytest.raises(ServiceError) as error:
        register_case(counsellor_gr, gr, members())  # type: ignore[operator]
    assert field in error.value.fields, error.value.fields
    assert message in " ".join(error.value.fields[field])
    assert _counts() == before


def test_an_unknown_destination_country_is_refused(counsellor_gr: User, gr: Mission) -> None:
    with pytest.raises(ServiceError) as error:
        register_case(counsellor_gr, gr, destination_country="QQ")
    assert "destination_country" in error.value.fields
    assert Case.objects.count() == 0


def test_a_failure_late_in_registration_rolls_everything_back(counsellor_gr: User, gr: Mission) -> None:
    # The second member's document is rejected only when it is saved, after the first member was written.
    members = family_of_three()
    members[1].documents = [DocumentInput("passport", "", "PK")]
    before = _counts()
    with pytest.raises(ServiceError) as error:
        register_case(counsellor_gr, gr, members)
    assert "members.1.documents.0.number" in error.value.fields
    assert _counts() == before


def test_counsellor_of_gr_cannot_register_a_case_in_ro(counsellor_gr: User, ro: Mission) -> None:
    with pytest.raises(PermissionDenied):
        register_case(counsellor_gr, ro)


def test_finance_officer_cannot_register_cases(finance_gr: User, gr: Mission) -> None:
    with pytest.raises(PermissionDenied):
        register_case(finance_gr, gr)


def test_an_origin_mission_does_not_register_cases(pk: Mission) -> None:
    from tests.factories import UserFactory

    counsellor = UserFactory(roles=[(pk, "counsellor")])
    with pytest.raises(ServiceError, match="not a host mission"):
        register_case(counsellor, pk)


def test_counsellor_of_gr_cannot_change_a_case_of_ro(counsellor_gr: User, case_ro: Case) -> None:
    with pytest.raises(PermissionDenied):
        services.case_update(acting_user=counsellor_gr, case=case_ro, data=case_data(destination_place="Kabul"))
    member = case_ro.members.exclude(relationship="principal").first()
    with pytest.raises(PermissionDenied):
        services.member_remove(acting_user=counsellor_gr, member=member)


def test_update_changes_only_what_changed(counsellor_gr: User, case_gr: Case) -> None:
    services.case_update(
        acting_user=counsellor_gr, case=case_gr, data=case_data(destination_place="Gujrat", counsellor=counsellor_gr)
    )
    case_gr.refresh_from_db()
    assert case_gr.destination_place == "Gujrat"


def test_only_a_supervisor_assigns_a_case_to_someone_else(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case, gr: Mission
) -> None:
    from tests.factories import UserFactory

    colleague = UserFactory(roles=[(gr, "counsellor")])
    with pytest.raises(ServiceError, match="supervisor"):
        services.case_update(acting_user=counsellor_gr, case=case_gr, data=case_data(counsellor=colleague))
    services.case_update(acting_user=supervisor_gr, case=case_gr, data=case_data(counsellor=colleague))
    case_gr.refresh_from_db()
    assert case_gr.counsellor == colleague


def test_a_case_cannot_be_assigned_to_someone_outside_the_mission(
    supervisor_gr: User, case_gr: Case, counsellor_ro: User
) -> None:
    with pytest.raises(ServiceError) as error:
        services.case_update(acting_user=supervisor_gr, case=case_gr, data=case_data(counsellor=counsellor_ro))
    assert "counsellor" in error.value.fields


def test_an_inquiry_becomes_registered_once(counsellor_gr: User, case_gr: Case) -> None:
    services.case_transition(acting_user=counsellor_gr, case=case_gr, to="registered")
    assert case_gr.status == "registered"
    assert case_gr.registered_on is not None
    with pytest.raises(ServiceError):
        services.case_transition(acting_user=counsellor_gr, case=case_gr, to="registered")


def test_member_add_checks_the_whole_household(counsellor_gr: User, case_gr: Case) -> None:
    services.member_add(
        acting_user=counsellor_gr,
        case=case_gr,
        member=services.MemberInput(Relationship.CHILD, person("Omar", "Khan", year=2019)),
    )
    assert case_gr.members.count() == 4
    with pytest.raises(ServiceError) as error:
        services.member_add(
            acting_user=counsellor_gr,
            case=case_gr,
            member=services.MemberInput(Relationship.CHILD, person("Old", "Khan", year=1950)),
        )
    assert "birth_date" in error.value.fields
    with pytest.raises(ServiceError) as error:
        services.member_add(
            acting_user=counsellor_gr,
            case=case_gr,
            member=services.MemberInput(Relationship.CHILD, person("Omar", "Khan", year=2019)),
        )
    assert "given_names" in error.value.fields
    assert case_gr.members.count() == 4


def test_the_principal_cannot_be_removed_but_others_can(counsellor_gr: User, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    with pytest.raises(ServiceError):
        services.member_remove(acting_user=counsellor_gr, member=principal)
    child = case_gr.members.get(relationship="child")
    services.member_remove(acting_user=counsellor_gr, member=child)
    assert case_gr.members.count() == 2
    assert Person.objects.filter(pk=child.person_id).exists()  # the record is kept


def test_member_update_keeps_the_family_rules(counsellor_gr: User, case_gr: Case) -> None:
    child = case_gr.members.select_related("person").get(relationship="child")
    with pytest.raises(ServiceError) as error:
        services.member_update(
            acting_user=counsellor_gr, member=child, relationship="child", data=person("Sana", "Khan", year=1960)
        )
    assert "birth_date" in error.value.fields
    services.member_update(
        acting_user=counsellor_gr,
        member=child,
        relationship="child",
        data=person("Sana", "Khan-Ali", year=2015, vulnerabilities=["health_needs"]),
    )
    child.person.refresh_from_db()
    assert child.person.family_name == "Khan-Ali"
    assert [v.type.code for v in child.person.vulnerabilities.all()] == ["health_needs"]
    with pytest.raises(ServiceError):
        services.member_update(
            acting_user=counsellor_gr, member=child, relationship="principal", data=person("Sana", "Khan", year=2015)
        )


def test_documents_are_added_once_and_removed(counsellor_gr: User, case_gr: Case) -> None:
    member = case_gr.members.get(relationship="spouse")
    doc = services.document_add(
        acting_user=counsellor_gr, member=member, data=DocumentInput("national_id", "cn-778", "PK")
    )
    assert doc.number == "CN-778"
    with pytest.raises(ServiceError, match=r"already|correcting|saved"):
        services.document_add(
            acting_user=counsellor_gr, member=member, data=DocumentInput("national_id", "CN-778", "PK")
        )
    services.document_remove(acting_user=counsellor_gr, member=member, document=doc)
    assert not IdentityDocument.objects.filter(pk=doc.pk).exists()


def test_a_document_of_another_member_cannot_be_removed_through_this_one(counsellor_gr: User, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    spouse = case_gr.members.get(relationship="spouse")
    with pytest.raises(PermissionDenied):
        services.document_remove(acting_user=counsellor_gr, member=spouse, document=principal.person.documents.get())


def test_a_counsellor_may_take_an_unassigned_case_but_not_a_colleagues(counsellor_gr: User, gr: Mission) -> None:
    from tests.factories import UserFactory

    colleague = UserFactory(roles=[(gr, "counsellor")])
    unassigned = register_case(colleague, gr, family_of_three("A"))
    services.case_update(acting_user=counsellor_gr, case=unassigned, data=case_data(counsellor=counsellor_gr))
    assert unassigned.counsellor == counsellor_gr
    theirs = register_case(colleague, gr, family_of_three("B"), counsellor=colleague)
    for takeover in (counsellor_gr, None):
        with pytest.raises(ServiceError, match="supervisor"):
            services.case_update(acting_user=counsellor_gr, case=theirs, data=case_data(counsellor=takeover))


@pytest.mark.parametrize("year", [0, 10000, -5, 10**30])
def test_a_year_out_of_range_is_refused_in_words(counsellor_gr: User, gr: Mission, year: int) -> None:
    from django.core.exceptions import ValidationError

    from homeward.people.inputs import birth_date_from_parts

    with pytest.raises(ValidationError, match="is not a year"):
        birth_date_from_parts(year)


def test_a_long_name_in_another_script_asks_for_its_latin_spelling(counsellor_gr: User, gr: Mission) -> None:
    long_name = person("", "Khan", given_names_original="﷽" * 100)
    with pytest.raises(ServiceError) as error:
        register_case(counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, long_name)])
    assert "Latin spelling" in " ".join(error.value.fields["members.0.given_names_original"])
