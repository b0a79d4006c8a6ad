"""Every read of cases, already scoped to the user who asks."""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.cases.models import Case, CaseMember, CaseType, Relationship
from homeward.core.text import search_key
from homeward.people.models import Person, PersonVulnerability, VulnerabilityType


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The root of every case query: the cases of the user's missions and those referred to them."""
    return Case.objects.filter(permissions.case_scope(user))


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    mission: str = ""
    nationality: str = ""
    case_type: str = ""
    mine: bool = False


def _member_count() -> Subquery:
    # A correlated subquery, not Count() with GROUP BY: the database counts only the page's rows.
    members = CaseMember.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("pk"))
    return Subquery(members.values("n"), output_field=IntegerField())


def case_list(user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Cases the user may see, searched and filtered, with what the list shows prefetched."""
    qs = (
        cases_visible_to(user)
        .select_related("host_mission", "referred_to_mission", "counsellor")
        .annotate(member_count=_member_count())
        .prefetch_related(
            Prefetch(
                "members",
                queryset=CaseMember.objects.filter(relationship=Relationship.PRINCIPAL).select_related("person"),
                to_attr="principal_members",
            )
        )
        .order_by("-created_at", "-pk")
    )
    text = filters.q.strip()
    if text:
        tokens = search_key(text).split()
        person_match = CaseMember.objects.filter(case=OuterRef("pk"))
        for token in tokens:
            person_match = person_match.filter(person__search_name__contains=token)
        qs = (
            qs.filter(Q(reference__icontains=text) | Exists(person_match))
            if tokens
            else qs.filter(reference__icontains=text)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.mission:
        qs = qs.filter(Q(host_mission__code=filters.mission) | Q(referred_to_mission__code=filters.mission))
    if filters.nationality:
        qs = qs.filter(
            Exists(CaseMember.objects.filter(case=OuterRef("pk"), person__nationality=filters.nationality.upper()))
        )
    if filters.case_type == CaseType.INDIVIDUAL:
        qs = qs.filter(member_count=1)
    elif filters.case_type == CaseType.FAMILY:
        qs = qs.filter(member_count__gt=1)
    if filters.mine:
        qs = qs.filter(counsellor=user)
    return qs


def principal_of(case: Case) -> Person | None:
    members = getattr(case, "principal_members", None)
    if members is None:
        members = [m for m in case.members.all() if m.is_principal]
    return members[0].person if members else None


def member_count_of(case: Case) -> int:
    """The number of members, from the list's annotation when there is one."""
    count = getattr(case, "member_count", None)
    return case.members.count() if count is None else count


def case_type_of(case: Case) -> str:
    return CaseType.FAMILY if member_count_of(case) > 1 else CaseType.INDIVIDUAL


def case_for_user(user: User, *, pk: int | None = None, reference: str | None = None) -> Case:
    """One case with its members, documents and vulnerabilities, or 404 if the user may not see it."""
    lookup = {"pk": pk} if pk is not None else {"reference": reference}
    qs = cases_visible_to(user).select_related("host_mission", "referred_to_mission", "counsellor")
    qs = qs.prefetch_related(
        Prefetch(
            "members",
            queryset=CaseMember.objects.select_related("person").prefetch_related(
                "person__documents",
                Prefetch("person__vulnerabilities", queryset=PersonVulnerability.objects.select_related("type")),
            ),
        )
    )
    try:
        return qs.get(**lookup)
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def member_of(case: Case, member_id: int) -> CaseMember:
    """A member of a case already fetched for the user (so already scoped), or 404."""
    for member in case.members.all():
        if member.pk == member_id:
            return member
    raise Http404


def visible_vulnerabilities(user: User, case: Case, person: Person) -> list[PersonVulnerability]:
    """The vulnerabilities typed for ``person`` that the user's roles allow it to see."""
    levels = permissions.visible_sensitivities(user, case)
    return [v for v in person.vulnerabilities.all() if v.type.sensitivity in levels]


def other_cases_of(user: User, case: Case) -> dict[int, list[Case]]:
    """For each member, the other visible cases the same person appears in (re-migration)."""
    person_ids = [m.person_id for m in case.members.all()]
    others = (
        CaseMember.objects.filter(person_id__in=person_ids)
        .exclude(case=case)
        .filter(permissions.case_scope(user, prefix="case__"))
        .select_related("case")
    )
    result: dict[int, list[Case]] = {}
    for member in others:
        result.setdefault(member.person_id, []).append(member.case)
    return result


def shown_vulnerabilities(user: User, case: Case) -> list[tuple[PersonVulnerability, str]]:
    """The members' vulnerabilities the user is shown, with their sensitivity (for ``core.reads``)."""
    return [(v, v.type.sensitivity) for m in case.members.all() for v in visible_vulnerabilities(user, case, m.person)]


def case_history(user: User, case: Case, *, limit: int = 200) -> list[LogEntry]:
    """Audit entries of the case and of what was written through it: members, their
    persons, documents and vulnerabilities (tagged with the case by the services).

    Changes made to the same person through another mission's case stay there.
    Entries about vulnerability types the user may not see are left out, not
    blanked, so nothing hints at them; the type's current sensitivity decides.
    """
    visible = permissions.visible_sensitivities(user, case)
    hidden = VulnerabilityType.objects.exclude(sensitivity__in=visible)
    hidden_types = list(hidden.values_list("pk", flat=True))
    hidden_codes = list(hidden.values_list("code", flat=True))  # safeguarding items name the vulnerability
    entries = (
        LogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk))
            | Q(additional_data__case_id=case.pk)
        )
        .filter(Q(additional_data__type_id__isnull=True) | ~Q(additional_data__type_id__in=hidden_types))
        .filter(Q(additional_data__vulnerability__isnull=True) | ~Q(additional_data__vulnerability__in=hidden_codes))
        .filter(Q(additional_data__sensitivity__isnull=True) | Q(additional_data__sensitivity__in=list(visible)))
        .exclude(action=LogEntry.Action.ACCESS)  # reads are listed by reads_of_case, not as changes
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    return list(entries[:limit])


def reads_of_case(user: User, case: Case, *, limit: int = 500) -> list[LogEntry]:
    """Who was shown the case's medical and protection records, newest first: for the host
    mission's case supervisors only (403 otherwise), who answer for who looks."""
    if not permissions.has_perm_in(user, Perm.ASSIGN_CASE, case.host_mission_id):
        raise PermissionDenied(_("Only a case supervisor of the host mission sees who read the case's records."))
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__case_id=case.pk)
    return list(entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")[:limit])


def missions_for_registration(user: User) -> QuerySet[Mission]:
    return Mission.objects.filter(
        pk__in=permissions.mission_ids_with(user, Perm.REGISTER_CASE),
        kind__in=[Mission.Kind.HOST, Mission.Kind.BOTH],
    )


def caseworkers_of(missions: QuerySet[Mission] | list[Mission]) -> QuerySet[User]:
    """Users who may be assigned cases of these missions."""
    from homeward.accounts.roles import ROLE_PERMS

    roles = [role for role, perms in ROLE_PERMS.items() if Perm.CHANGE_CASE in perms]
    return (
        User.objects.filter(is_active=True, memberships__mission__in=missions, memberships__role__in=roles)
        .distinct()
        .order_by("first_name", "last_name")
    )
