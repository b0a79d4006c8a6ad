"""Case pages: thin views that parse a form, call a service or selector, and render."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.cases import eligibility, referrals, selectors, services, workflow
from homeward.cases.forms import CaseForm, CaseSearchForm, DocumentForm, PersonForm
from homeward.cases.models import Assessment, Case, CaseMember
from homeward.cases.timeline import timeline
from homeward.core import history, reads
from homeward.core.concurrency import ConflictError
from homeward.core.errors import ServiceError
from homeward.matching import live
from homeward.people.taxonomy import NAMES
from homeward.programmes.models import Programme


def _case(request: HttpRequest, reference: str) -> Case:
    return selectors.case_for_user(request.user, reference=reference)


def _changeable_case(request: HttpRequest, reference: str) -> Case:
    case = _case(request, reference)
    if not permissions.can_change_case(request.user, case):
        raise PermissionDenied(_("You may not change this case."))
    return case


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    if not permissions.has_perm_anywhere(request.user, Perm.VIEW_CASE):
        raise PermissionDenied(_("Your role does not give access to cases."))
    form = CaseSearchForm(request.GET or None)
    form.is_valid()  # an unknown filter value is shown as an error; the valid ones still apply
    filters = selectors.CaseFilters(**{k: v for k, v in getattr(form, "cleaned_data", {}).items() if v})
    page = Paginator(selectors.case_list(request.user, filters), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, selectors.principal_of(case), selectors.case_type_of(case)) for case in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": request.GET.copy(),
        "can_register": permissions.has_perm_anywhere(request.user, Perm.REGISTER_CASE),
    }
    context["query"].pop("page", None)
    if request.htmx and request.htmx.target == "case-results":
        return render(request, "cases/_case_results.html", context)
    return render(request, "cases/case_list.html", context)


def _new_prefix() -> str:
    return f"m{secrets.token_hex(3)}"


def _registration_forms(request: HttpRequest) -> tuple[CaseForm, list[tuple[str, PersonForm]], bool]:
    """The case form and one form per member, in the order shown; True when the person asked to save.

    The principal applicant's fields are prefixed ``principal``; each other
    member has a random prefix listed in ``member_prefix``, so rows can be
    added and removed in the browser without renumbering.
    """
    missions = selectors.missions_for_registration(request.user)
    data = request.POST or None
    case_form = CaseForm(data, missions=missions, counsellors=selectors.caseworkers_of(missions))
    levels = permissions.registration_sensitivities(request.user)
    principal = ("principal", PersonForm(data, prefix="principal", principal=True, sensitivities=levels))
    if data is None:
        if request.user in case_form.fields["counsellor"].queryset:
            case_form.initial["counsellor"] = request.user.pk
        return case_form, [principal], False
    action = request.POST.get("action", "save")
    prefixes = [p for p in request.POST.getlist("member_prefix") if p != "principal"]
    if action.startswith("remove:"):
        prefixes = [p for p in prefixes if p != action.removeprefix("remove:")]
    members = [principal, *((p, PersonForm(data, prefix=p, sensitivities=levels)) for p in prefixes)]
    if action == "add_member":
        prefix = _new_prefix()
        members.append((prefix, PersonForm(prefix=prefix, sensitivities=levels)))
    return case_form, members, action == "save"


@require_http_methods(["GET", "POST"])
def case_register(request: HttpRequest) -> HttpResponse:
    """Register a case and its members in one go. Members are added and removed in place
    with HTMX; without JavaScript the same buttons re-render the form."""
    if not permissions.has_perm_anywhere(request.user, Perm.REGISTER_CASE):
        raise PermissionDenied(_("Your role does not register cases."))
    case_form, members, save = _registration_forms(request)
    if request.method == "POST":
        for prefix, form in members:
            form.match_panel = live.matches_for_form(request.user, request.POST, prefix)
    if save:
        # Validate every form (no short-circuit) so that all errors show at once.
        forms_valid = all([case_form.is_valid(), *(f.is_valid() for _p, f in members)])
        if not forms_valid:
            messages.error(request, _("The case was not saved: check the fields marked."))
        else:
            try:
                case = services.case_register(
                    acting_user=request.user,
                    host_mission=case_form.cleaned_data["host_mission"],
                    status=case_form.cleaned_data["status"],
                    data=case_form.to_input(),
                    members=[f.to_input() for _p, f in members],
                )
            except ServiceError as error:
                case_form.add_service_error(error)
                for i, (_p, f) in enumerate(members):
                    f.add_service_error(error, prefix=f"members.{i}.")
                messages.error(request, error.message)
                for message in error.fields.get("members", []):
                    messages.error(request, message)
            else:
                messages.success(request, _("Case %(reference)s registered.") % {"reference": case.reference})
                return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/case_register.html", {"case_form": case_form, "members": members})


@require_GET
def member_row(request: HttpRequest) -> HttpResponse:
    """One more member's fields, for the registration form (HTMX)."""
    if not permissions.has_perm_anywhere(request.user, Perm.REGISTER_CASE):
        raise PermissionDenied
    prefix = _new_prefix()
    return render(
        request,
        "cases/_member_form.html",
        {
            "prefix": prefix,
            "form": PersonForm(prefix=prefix, sensitivities=permissions.registration_sensitivities(request.user)),
            "removable": True,
        },
    )


HISTORY_SHOWN = 25


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    full_history = request.GET.get("history") == "all"
    # One more than shown tells whether there is more; the full history is one click away.
    entries = selectors.case_history(request.user, case, limit=200 if full_history else HISTORY_SHOWN + 1)
    others = selectors.other_cases_of(request.user, case)
    members = [
        {
            "member": m,
            "person": m.person,
            "derived": [NAMES[code] for code in m.person.derived_vulnerability_codes()],
            "vulnerabilities": selectors.visible_vulnerabilities(request.user, case, m.person),
            "other_cases": others.get(m.person_id, []),
        }
        for m in case.members.all()
    ]
    reads.record_request_reads(
        request, selectors.shown_vulnerabilities(request.user, case), case_id=case.pk, via=reads.Via.CASE_PAGE
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "members": members,
            "case_type": selectors.case_type_of(case),
            "history": history.describe(entries[:HISTORY_SHOWN] if not full_history else entries),
            "history_more": not full_history and len(entries) > HISTORY_SHOWN,
            "can_change": permissions.can_change_case(request.user, case),
            "options": workflow.options_for(request.user, case),
            "can_refer": permissions.has_perm_in(request.user, Perm.ASSIGN_CASE, case.host_mission_id),
            "origin_missions": referrals.missions_for(case),
            "referral": case.referrals.select_related("to_mission", "answered_by").first(),
            "referable": case.status in referrals.REFERABLE,
            "timeline": timeline(request.user, case),
            "arrival_confirmations": workflow.ARRIVAL_CONFIRMATIONS,
            "assessment": eligibility.latest_assessment(case),
            "programmes": Programme.objects.filter(missions=case.host_mission_id),
            "can_override": permissions.has_perm_in(request.user, Perm.ASSIGN_CASE, case.host_mission_id),
            "outcomes": Assessment.Outcome.choices,
        },
    )


@require_GET
def case_reads(request: HttpRequest, reference: str) -> HttpResponse:
    """Who was shown the case's medical and protection records, when, and through what."""
    case = _case(request, reference)
    entries = selectors.reads_of_case(request.user, case)
    return render(request, "cases/case_reads.html", {"case": case, "entries": entries})


def _edit_initial(case: Case) -> dict[str, Any]:
    return {
        "legal_status": case.legal_status,
        "exclusions": case.exclusions,
        "place": case.place,
        "authority_approval_on": case.authority_approval_on,
        "authority_approval_reference": case.authority_approval_reference,
        "destination_country": case.destination_country.code,
        "destination_place": case.destination_place,
        "referral_source": case.referral_source,
        "inquiry_date": case.inquiry_date,
        "counsellor": case.counsellor,
        "notes": case.notes,
        "confidential_return": case.confidential_return,
        "version": case.version,
    }


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _changeable_case(request, reference)

    def case_form(data: Any = None) -> CaseForm:
        counsellors = selectors.caseworkers_of([case.host_mission])
        return CaseForm(data, initial=_edit_initial(case), missions=None, counsellors=counsellors, editing=True)

    form = case_form(request.POST or None)
    yours: list[tuple[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                acting_user=request.user,
                case=case,
                data=form.to_input(),
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            # Show what the case says now, and what this user typed, so nothing is lost.
            messages.error(request, error.message)
            yours = [
                (form[name].label, value) for name, value in form.cleaned_data.items() if name in form.changed_data
            ]
            yours = [(label, value) for label, value in yours if label]
            form = case_form()
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Case %(reference)s saved.") % {"reference": case.reference})
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/case_edit.html", {"case": case, "form": form, "yours": yours})


@require_POST
def case_transition(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    version = request.POST.get("version", "")
    try:
        transition = services.case_transition(
            acting_user=request.user,
            case=case,
            to=request.POST.get("to", ""),
            note=request.POST.get("note", ""),
            details={k: v for k in ("confirmed_by",) if (v := request.POST.get(k, ""))},
            expected_version=int(version) if version.isdigit() else None,
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Case %(reference)s is now %(status)s.")
            % {"reference": case.reference, "status": transition.get_to_status_display()},
        )
    return redirect("cases:detail", reference=case.reference)


def _looking_for_matches(request: HttpRequest, form: PersonForm, exclude: int | None = None) -> bool:
    """The form's "look for earlier records" button (without JavaScript): show the matches, save nothing."""
    if request.method != "POST" or request.POST.get("action") != "check":
        return False
    form.match_panel = live.matches_for_form(request.user, request.POST, "", exclude)
    return True


def _member(request: HttpRequest, case: Case, member_id: int) -> CaseMember:
    return selectors.member_of(case, member_id)


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _changeable_case(request, reference)
    levels = permissions.visible_sensitivities(request.user, case)
    form = PersonForm(request.POST or None, sensitivities=levels)
    if _looking_for_matches(request, form):
        pass
    elif request.method == "POST" and form.is_valid():
        try:
            services.member_add(acting_user=request.user, case=case, member=form.to_input())
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Member added."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/member_form.html", {"case": case, "form": form, "title": _("Add a member")})


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    case = _changeable_case(request, reference)
    member = _member(request, case, member_id)
    levels = permissions.visible_sensitivities(request.user, case)
    hidden = [v.type.code for v in member.person.vulnerabilities.all() if v.type.sensitivity not in levels]
    form = PersonForm(
        request.POST or None,
        initial=PersonForm.initial_for(member.person, member.relationship, member.precarious),
        principal=member.is_principal,
        with_document=False,
        sensitivities=levels,
    )
    if request.method == "GET":
        shown = [(v, v.type.sensitivity) for v in member.person.vulnerabilities.all() if v.type.sensitivity in levels]
        reads.record_request_reads(request, shown, case_id=case.pk, via=reads.Via.MEMBER_FORM)
    if _looking_for_matches(request, form, exclude=member.person_id):
        pass
    elif request.method == "POST" and form.is_valid():
        data = form.person_input()
        # Facts the editor may not see are kept as they are, not silently dropped.
        data.vulnerabilities = [*data.vulnerabilities, *hidden]
        try:
            services.member_update(
                acting_user=request.user,
                member=member,
                relationship=form.cleaned_data["relationship"],
                data=data,
                precarious=form.cleaned_data["precarious"],
            )
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": member.person.full_name})
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/member_form.html",
        {"case": case, "form": form, "member": member, "title": member.person.full_name},
    )


@require_POST
def member_remove(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    case = _changeable_case(request, reference)
    member = _member(request, case, member_id)
    try:
        services.member_remove(acting_user=request.user, member=member)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s removed from the case.") % {"name": member.person.full_name})
    return redirect("cases:detail", reference=case.reference)


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    case = _changeable_case(request, reference)
    member = _member(request, case, member_id)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(acting_user=request.user, member=member, data=form.to_input())
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Document added."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/document_form.html", {"case": case, "member": member, "form": form})


@require_POST
def document_remove(request: HttpRequest, reference: str, member_id: int, document_id: int) -> HttpResponse:
    case = _changeable_case(request, reference)
    member = _member(request, case, member_id)
    document = get_object_or_404(member.person.documents.all(), pk=document_id)
    services.document_remove(acting_user=request.user, member=member, document=document)
    messages.success(request, _("Document removed."))
    return redirect("cases:detail", reference=case.reference)


@require_POST
def case_assess(request: HttpRequest, reference: str) -> HttpResponse:
    case = _changeable_case(request, reference)
    raw = request.POST.get("programme", "")
    programme = Programme.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    try:
        assessment = eligibility.case_assess(acting_user=request.user, case=case, programme=programme)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Assessed: %(outcome)s.") % {"outcome": assessment.get_final_outcome_display()})
    return redirect(f"{reverse('cases:detail', args=[case.reference])}#eligibility")


@require_POST
def case_refer(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    mission = Mission.objects.filter(code=request.POST.get("mission", "")).first()
    if mission is None:
        messages.error(request, _("Choose the mission that receives the case."))
    else:
        try:
            referrals.referral_send(acting_user=request.user, case=case, mission=mission)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Case referred to %(mission)s.") % {"mission": mission.name})
    return redirect("cases:detail", reference=case.reference)


@require_GET
def referral_inbox(request: HttpRequest) -> HttpResponse:
    shown = referrals.packages_shown(request, referrals.inbox(request.user), via=reads.Via.REFERRAL)
    return render(request, "cases/referral_inbox.html", {"referrals": shown, "now": timezone.now()})


@require_POST
def referral_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    referral = referrals.referral_for_receiver(request.user, pk)
    try:
        if answer == "accept":
            referrals.referral_accept(acting_user=request.user, referral=referral)
        else:
            referrals.referral_return(
                acting_user=request.user, referral=referral, reason=request.POST.get("reason", "")
            )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("cases:referrals")
    if answer == "accept":
        messages.success(request, _("Case %(reference)s accepted.") % {"reference": referral.case.reference})
        return redirect("cases:detail", reference=referral.case.reference)
    messages.success(request, _("Referral of %(reference)s returned.") % {"reference": referral.case.reference})
    return redirect("cases:referrals")


@require_POST
def assessment_override(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    assessment = eligibility.latest_assessment(case)
    if assessment is None:
        raise Http404
    try:
        eligibility.assessment_override(
            acting_user=request.user,
            assessment=assessment,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as error:
        messages.error(request, " ".join([error.message, *(m for msgs in error.fields.values() for m in msgs)]))
    else:
        messages.success(request, _("Assessment overridden."))
    return redirect(f"{reverse('cases:detail', args=[case.reference])}#eligibility")


@require_GET
def case_entitlements(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    assessment = eligibility.latest_assessment(case)
    result = eligibility.entitlements_of(assessment) if assessment else None
    lines, escorts = eligibility.for_reader(request.user, case, result) if result else ([], [])
    return render(
        request,
        "cases/case_entitlements.html",
        {
            "case": case,
            "assessment": assessment,
            "result": result,
            "totals": eligibility.totals_in_programme_currency(assessment, result) if assessment and result else [],
            "lines": lines,
            "escorts": escorts,
        },
    )
