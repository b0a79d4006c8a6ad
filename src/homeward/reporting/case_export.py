"""The case list as a table to export: the cases the user can see, filtered like the list page.

Rule: only case readers export cases (``Perm.VIEW_CASE``; a programme viewer gets 403),
and only the cases ``cases.selectors.case_list`` gives them. One row per case (the
default) or, with ``rows=members``, one row per member of each case.

What is left out on purpose: vulnerabilities (sensitive, and shown by sensitivity only
on the case page), identity documents, phone numbers, notes, legal status and the
confidential-return flag. Names carry no HXL hashtag, so HXL tools that keep only
tagged columns drop them before anything is shared as humanitarian data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DateTimeField, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors
from homeward.cases.forms import CaseSearchForm
from homeward.cases.models import CaseMember, CaseStatus, CaseType, Relationship, Transition
from homeward.core.errors import ServiceError
from homeward.people.models import Sex
from homeward.reporting.export_sources import QueryRows, stamp, table_source
from homeward.reporting.tables import Column, Table

ROWS_CASES, ROWS_MEMBERS = "cases", "members"


class CaseExportForm(CaseSearchForm):
    """The case list's filters, the mission filter of the API, and one row per case or per member."""

    mission = forms.CharField(label=gettext_lazy("Mission"), required=False, max_length=12)
    rows = forms.ChoiceField(
        label=gettext_lazy("Rows"),
        required=False,
        choices=[(ROWS_CASES, gettext_lazy("one row per case")), (ROWS_MEMBERS, gettext_lazy("one row per member"))],
    )


def _departed_at(case: str = "pk") -> Coalesce:
    # As the indicators count it: the first move to "departed", else to "arrived".
    moves = Transition.objects.filter(case=OuterRef(case)).order_by("at", "pk").values("at")
    return Coalesce(
        Subquery(moves.filter(to_status=CaseStatus.DEPARTED)[:1]),
        Subquery(moves.filter(to_status=CaseStatus.ARRIVED)[:1]),
        output_field=DateTimeField(),
    )


def _case_size(case: str) -> Subquery:
    members = CaseMember.objects.filter(case=OuterRef(case)).order_by().values("case").annotate(n=Count("pk"))
    return Subquery(members.values("n"), output_field=IntegerField())


def _day(moment: Any) -> Any:
    return timezone.localdate(moment) if moment else None


class _Labels:
    """Choice labels and country names, translated once per export instead of once per cell.

    Made when the tables are built, in the language of the request or of the job.
    """

    def __init__(self) -> None:
        self.status = {key: str(label) for key, label in CaseStatus.choices}
        self.case_type = {key: str(label) for key, label in CaseType.choices}
        self.relationship = {key: str(label) for key, label in Relationship.choices}
        self.sex = {key: str(label) for key, label in Sex.choices}
        self._countries: dict[str, str] = {}
        self._users: dict[int, str] = {}

    def country(self, code: str) -> str:
        if code not in self._countries:
            self._countries[code] = str(countries.name(code)) if code else ""
        return self._countries[code]

    def user(self, user: Any) -> str:
        if user is None:
            return ""
        if user.pk not in self._users:
            self._users[user.pk] = user.get_full_name() or user.username
        return self._users[user.pk]


Getters = list[tuple[Column, Callable[[Any], Any]]]


def _case_columns(labels: _Labels, *, members: bool) -> Getters:
    return [
        (Column(_("Reference"), "#meta+id"), lambda c: c.reference),
        (Column(_("Status"), "#status+name"), lambda c: labels.status.get(c.status, c.status)),
        (Column(_("Host mission"), "#org+code+host"), lambda c: c.host_mission.code),
        (Column(_("Destination country code"), "#country+code"), lambda c: c.destination_country.code),
        (Column(_("Destination country"), "#country+name"), lambda c: labels.country(c.destination_country.code)),
        (Column(_("Region or city of return"), "#adm1+name"), lambda c: c.destination_place),
        (Column(_("Programme"), "#activity+code"), lambda c: c.programme.code if c.programme else ""),
        (Column(_("Case type"), "#meta+type"), lambda c: labels.case_type[selectors.case_type_of(c)]),
        # Per member the case size repeats on each row: tagged apart so HXL tools do not add it up.
        (
            Column(_("Persons in the case"), "#meta+case_size" if members else "#affected+ind"),
            selectors.member_count_of,
        ),
        (Column(_("Counsellor"), "#contact+name"), lambda c: labels.user(c.counsellor)),
        (Column(_("First contact"), "#date+inquiry"), lambda c: c.inquiry_date),
        (Column(_("Registered on"), "#date+registered"), lambda c: c.registered_on),
        (Column(_("Departed on"), "#date+departed"), lambda c: _day(c.departed_at)),
    ]


def _with_principal(cases: Any) -> Any:
    """``cases`` with the principal applicant's name and nationality as columns.

    Subqueries (one row each, by the one-principal-per-case index) instead of the
    list's prefetch: a million model instances fewer on a big export.
    """
    principal = CaseMember.objects.filter(case=OuterRef("pk"), relationship=Relationship.PRINCIPAL)
    return cases.prefetch_related(None).annotate(
        principal_given=Subquery(principal.values("person__given_names")[:1]),
        principal_family=Subquery(principal.values("person__family_name")[:1]),
        principal_nationality=Subquery(principal.values("person__nationality")[:1]),
    )


def _principal_columns() -> Getters:
    return [
        (
            Column(_("Principal applicant")),
            lambda c: " ".join(p for p in (c.principal_given, c.principal_family) if p),
        ),
        (Column(_("Nationality"), "#meta+nationality"), lambda c: c.principal_nationality or ""),
    ]


def _member_columns(labels: _Labels) -> Getters:
    return [
        (Column(_("Relationship"), "#meta+relationship"), lambda m: labels.relationship.get(m.relationship, "")),
        (Column(_("Name")), lambda m: m.person.full_name),
        (Column(_("Sex"), "#meta+sex"), lambda m: labels.sex.get(m.person.sex, "")),
        (
            Column(_("Year of birth"), "#meta+birth_year"),
            lambda m: m.person.birth_date.year if m.person.birth_date else None,
        ),
        (Column(_("Nationality"), "#meta+nationality"), lambda m: m.person.nationality.code),
    ]


def _filters(params: QueryDict) -> tuple[selectors.CaseFilters, str]:
    form = CaseExportForm(params)
    if not form.is_valid():
        # An export silently wider than the filters asked for would be worse than none.
        message = _("One of the filters is not valid: correct it on the case list and export again.")
        raise ServiceError(message, {k: [str(e) for e in v] for k, v in form.errors.items()})
    data = form.cleaned_data
    fields = ("q", "status", "mission", "nationality", "case_type", "mine")
    return selectors.CaseFilters(**{k: data[k] for k in fields if data.get(k)}), data.get("rows") or ROWS_CASES


def _member_rows(cases: Any) -> tuple[list[Column], QueryRows]:
    """One row per member of ``cases``, the case's columns repeated on each."""
    members = (
        CaseMember.objects.filter(case__in=cases.values("pk"))
        .select_related("person", "case__host_mission", "case__programme", "case__counsellor")
        .annotate(case_size=_case_size("case_id"), case_departed_at=_departed_at("case_id"))
        .order_by("-case__created_at", "-case_id", "added_at", "pk")
    )
    labels = _Labels()
    case_columns, member_columns = _case_columns(labels, members=True), _member_columns(labels)

    def row(member: CaseMember) -> list[Any]:
        case = member.case
        case.member_count, case.departed_at = member.case_size, member.case_departed_at  # type: ignore[attr-defined]
        return [
            case_columns[0][1](case),
            *(get(member) for _column, get in member_columns),
            *(get(case) for _column, get in case_columns[1:]),
        ]

    columns = [case_columns[0][0], *(c for c, _get in member_columns), *(c for c, _get in case_columns[1:])]
    return columns, QueryRows(members, row)


@table_source("cases", needs=Perm.VIEW_CASE)
def case_tables(user: Any, params: QueryDict) -> list[Table]:
    """The user's visible cases matching ``params`` (the case list's query string), as one table."""
    if not permissions.has_perm_anywhere(user, Perm.VIEW_CASE):
        raise PermissionDenied(_("Your role does not give access to cases."))
    filters, per = _filters(params)
    cases = selectors.case_list(user, filters).select_related("programme").annotate(departed_at=_departed_at())
    if per == ROWS_MEMBERS:
        columns, rows = _member_rows(cases)
        return [Table(title=_("Case members"), columns=columns, rows=rows, slug=f"case-members-{stamp()}")]
    case_columns, principal_columns = _case_columns(_Labels(), members=False), _principal_columns()
    getters = [case_columns[0], *principal_columns, *case_columns[1:]]
    return [
        Table(
            title=_("Cases"),
            columns=[column for column, _get in getters],
            rows=QueryRows(_with_principal(cases), lambda case: [get(case) for _column, get in getters]),
            slug=f"cases-{stamp()}",
        )
    ]
