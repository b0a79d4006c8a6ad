"""A case's travel page and its forms: thin views that parse, call one service, and redirect or re-render.

Everyone who may see the case sees its travel; only those who arrange travel for
its host mission get the forms (the services refuse the others with 403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case, CaseMember
from homeward.core.errors import ServiceError
from homeward.travel import selectors, services
from homeward.travel.forms import (
    AssistanceForm,
    CheckForm,
    DocumentRequestForm,
    DocumentUpdateForm,
    ItineraryForm,
    ReconcileForm,
    SegmentForm,
    TicketForm,
    mission_choices,
)
from homeward.travel.models import AssistanceLeg, Itinerary, TravelDocumentRequest


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def arranges_travel(user: Any, case: Case) -> bool:
    return permissions.has_perm_in(user, Perm.ARRANGE_TRAVEL, case.host_mission_id)


def _arranged_case(request: HttpRequest, reference: str) -> Case:
    case = _case(request, reference)
    if not arranges_travel(request.user, case):
        raise PermissionDenied(_("Only the host mission's movement officers and supervisors arrange travel."))
    return case


def _back(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("travel:case", args=[case.reference]) + (f"#{anchor}" if anchor else ""))


def _members(case: Case) -> dict[int, CaseMember]:
    return {m.pk: m for m in case.members.all()}


def _itinerary(case: Case, itinerary_id: int) -> Itinerary:
    return selectors.itinerary_for_case(case, itinerary_id)


def _prefix(kind: str, itinerary: Itinerary) -> str:
    return f"{kind}{itinerary.pk}"


# ---------------------------------------------------------------- the page


def _page(request: HttpRequest, case: Case, bound: dict[Any, Form] | None = None) -> HttpResponse:
    bound = bound or {}
    members = list(case.members.all())
    can_arrange = arranges_travel(request.user, case)
    missions = mission_choices()
    blocks = []
    for itinerary in selectors.itineraries_of(case):
        view = selectors.itinerary_view(itinerary, request.user)
        travellers = view.travellers
        blocks.append(
            {
                "view": view,
                "segment_form": bound.get(("segment", itinerary.pk))
                or SegmentForm(prefix=_prefix("segment", itinerary)),
                "ticket_form": bound.get(("ticket", itinerary.pk))
                or TicketForm(prefix=_prefix("ticket", itinerary), members=view.unticketed or travellers),
                "assistance_form": bound.get(("assistance", itinerary.pk))
                or AssistanceForm(
                    prefix=_prefix("assistance", itinerary),
                    missions=missions,
                    initial={"mission": case.host_mission_id},
                ),
                "check_form": bound.get(("check", itinerary.pk)) or CheckForm(prefix=_prefix("check", itinerary)),
                "reconcile_form": ReconcileForm(prefix=_prefix("reconcile", itinerary)),
            }
        )
    context = {
        "case": case,
        "can_arrange": can_arrange,
        "medical": selectors.can_see_medical(request.user, case),
        "documents": selectors.documents_by_traveller(case, members),
        "itineraries": blocks,
        "document_form": bound.get("document") or DocumentRequestForm(prefix="document", members=members, case=case),
        "itinerary_form": bound.get("itinerary")
        or ItineraryForm(prefix="itinerary", members=members, initial={"travellers": [m.pk for m in members]}),
    }
    return render(request, "travel/case_travel.html", context)


@require_GET
def case_travel(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _case(request, reference))


def _submit(
    request: HttpRequest,
    case: Case,
    form: Form,
    key: Any,
    call: Callable[[dict[str, Any]], Any],
    success: str,
    anchor: str,
) -> HttpResponse:
    """Validate ``form``, call the service; on success redirect, else show the page with the errors."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)  # type: ignore[attr-defined]
            messages.error(request, error.message)
        else:
            messages.success(request, success)
            return _back(case, anchor)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _page(request, case, {key: form})


# ---------------------------------------------------------------- travel documents


@require_POST
def document_request(request: HttpRequest, reference: str) -> HttpResponse:
    case = _arranged_case(request, reference)
    members = _members(case)
    form = DocumentRequestForm(request.POST, prefix="document", members=members.values(), case=case)

    def call(d: dict[str, Any]) -> Any:
        return services.travel_document_request(
            acting_user=request.user,
            case=case,
            member=members.get(d["member"]),
            kind=d["kind"],
            embassy=d["embassy"],
            requested_on=d["requested_on"],
            expected_on=d["expected_on"],
            note=d["note"],
        )

    return _submit(request, case, form, "document", call, _("Travel document requested."), "documents")


@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    document = get_object_or_404(
        TravelDocumentRequest.objects.select_related("member__person"), case=case, pk=document_id
    )
    initial = {f: getattr(document, f) for f in ("status", "issued_on", "number", "expires_on", "note")}
    form = DocumentUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.travel_document_update(acting_user=request.user, request=document, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Travel document saved."))
            return _back(case, "documents")
    title = _("%(kind)s for %(name)s") % {"kind": document.get_kind_display(), "name": document.member.person.full_name}
    return render(request, "travel/form_page.html", {"case": case, "form": form, "title": title, "anchor": "documents"})


# ---------------------------------------------------------------- itineraries


def _itinerary_values(d: dict[str, Any], members: dict[int, CaseMember]) -> dict[str, Any]:
    return {
        "booking_reference": d["booking_reference"],
        "travellers": [members[pk] for pk in d["travellers"] if pk in members],
        "baggage_allowance": d["baggage_allowance"],
        "special_needs": d["special_needs"],
        "escorts": d["escorts"],
        "onward_transport": d["onward_transport"],
        "final_address": d["final_address"],
    }


@require_POST
def itinerary_create(request: HttpRequest, reference: str) -> HttpResponse:
    case = _arranged_case(request, reference)
    members = _members(case)
    form = ItineraryForm(request.POST, prefix="itinerary", members=members.values())

    def call(d: dict[str, Any]) -> Any:
        return services.itinerary_create(acting_user=request.user, case=case, **_itinerary_values(d, members))

    return _submit(request, case, form, "itinerary", call, _("Itinerary started: add its segments."), "itineraries")


@require_http_methods(["GET", "POST"])
def itinerary_edit(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    members = _members(case)
    initial = {
        "booking_reference": itinerary.booking_reference,
        "travellers": [m.pk for m in itinerary.travellers.all()],
        "baggage_allowance": itinerary.baggage_allowance,
        "special_needs": itinerary.special_needs,
        "escorts": itinerary.escorts,
        "onward_transport": itinerary.onward_transport,
        "final_address": itinerary.final_address,
    }
    form = ItineraryForm(request.POST or None, initial=initial, members=members.values())
    if not selectors.can_see_medical(request.user, case):
        # Needs the editor may not see are kept, not offered (and so not silently dropped).
        form.fields["special_needs"].choices = [
            c for c in form.fields["special_needs"].choices if c[0] not in selectors.MEDICAL_NEEDS
        ]
    if request.method == "POST" and form.is_valid():
        values = _itinerary_values(form.cleaned_data, members)
        if not selectors.can_see_medical(request.user, case):
            values["special_needs"] += [n for n in itinerary.special_needs if n in selectors.MEDICAL_NEEDS]
        try:
            services.itinerary_update(acting_user=request.user, itinerary=itinerary, **values)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Itinerary saved."))
            return _back(case, f"itinerary-{itinerary.pk}")
    title = _("Itinerary %(reference)s") % {"reference": itinerary.booking_reference or f"#{itinerary.pk}"}
    return render(
        request,
        "travel/form_page.html",
        {"case": case, "form": form, "title": title, "anchor": f"itinerary-{itinerary.pk}"},
    )


def _itinerary_action(service: Callable[..., Any], success: str) -> Callable[..., HttpResponse]:
    @require_POST
    def view(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
        case = _arranged_case(request, reference)
        itinerary = _itinerary(case, itinerary_id)
        try:
            service(acting_user=request.user, itinerary=itinerary)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
        return _back(case, f"itinerary-{itinerary.pk}")

    return view


itinerary_confirm = _itinerary_action(services.itinerary_confirm, _("Itinerary confirmed."))
itinerary_back_to_draft = _itinerary_action(services.itinerary_back_to_draft, _("Itinerary back to draft."))
itinerary_cancel = _itinerary_action(services.itinerary_cancel, _("Itinerary cancelled."))


@require_POST
def itinerary_reconciled(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    form = ReconcileForm(request.POST, prefix=_prefix("reconcile", itinerary))
    form.is_valid()
    try:
        services.itinerary_reconciled(
            acting_user=request.user, itinerary=itinerary, note=form.cleaned_data.get("note", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reconciliation recorded."))
    return _back(case, f"itinerary-{itinerary.pk}")


# ---------------------------------------------------------------- segments and tickets


@require_POST
def segment_add(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    form = SegmentForm(request.POST, prefix=_prefix("segment", itinerary))

    def call(d: dict[str, Any]) -> Any:
        return services.segment_add(acting_user=request.user, itinerary=itinerary, **d)

    return _submit(
        request, case, form, ("segment", itinerary.pk), call, _("Segment added."), f"itinerary-{itinerary.pk}"
    )


@require_POST
def segment_remove(request: HttpRequest, reference: str, itinerary_id: int, segment_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    segment = get_object_or_404(itinerary.segments.all(), pk=segment_id)
    try:
        services.segment_remove(acting_user=request.user, segment=segment)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Segment removed."))
    return _back(case, f"itinerary-{itinerary.pk}")


@require_POST
def ticket_add(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    members = _members(case)
    form = TicketForm(request.POST, prefix=_prefix("ticket", itinerary), members=members.values())

    def call(d: dict[str, Any]) -> Any:
        return services.ticket_add(
            acting_user=request.user,
            itinerary=itinerary,
            member=members.get(d["member"]),
            number=d["number"],
            cost=d["cost"],
            currency=d["currency"],
        )

    return _submit(request, case, form, ("ticket", itinerary.pk), call, _("Ticket added."), f"itinerary-{itinerary.pk}")


@require_POST
def ticket_remove(request: HttpRequest, reference: str, itinerary_id: int, ticket_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    ticket = get_object_or_404(itinerary.tickets.all(), pk=ticket_id)
    try:
        services.ticket_remove(acting_user=request.user, ticket=ticket)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Ticket removed."))
    return _back(case, f"itinerary-{itinerary.pk}")


# ---------------------------------------------------------------- assistance and the check


@require_POST
def assistance_add(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    form = AssistanceForm(request.POST, prefix=_prefix("assistance", itinerary), missions=mission_choices())

    def call(d: dict[str, Any]) -> Any:
        return services.assistance_add(acting_user=request.user, itinerary=itinerary, **d)

    return _submit(
        request, case, form, ("assistance", itinerary.pk), call, _("Assistance arranged."), f"itinerary-{itinerary.pk}"
    )


@require_http_methods(["GET", "POST"])
def assistance_edit(request: HttpRequest, reference: str, itinerary_id: int, leg_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    leg = get_object_or_404(AssistanceLeg.objects.select_related("mission"), itinerary=itinerary, pk=leg_id)
    initial = {f: getattr(leg, f) for f in ("meeting_point", "contact", "status", "outcome")}
    form = AssistanceForm(
        request.POST or None, initial={**initial, "mission": leg.mission_id}, missions=mission_choices(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assistance_update(acting_user=request.user, leg=leg, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Assistance saved."))
            return _back(case, f"itinerary-{itinerary.pk}")
    title = _("%(kind)s assistance at %(airport)s") % {"kind": leg.get_kind_display(), "airport": leg.airport}
    return render(
        request,
        "travel/form_page.html",
        {"case": case, "form": form, "title": title, "anchor": f"itinerary-{itinerary.pk}"},
    )


@require_POST
def assistance_remove(request: HttpRequest, reference: str, itinerary_id: int, leg_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    leg = get_object_or_404(itinerary.assistance.all(), pk=leg_id)
    try:
        services.assistance_remove(acting_user=request.user, leg=leg)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Assistance removed."))
    return _back(case, f"itinerary-{itinerary.pk}")


@require_POST
def check_add(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = _arranged_case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    form = CheckForm(request.POST, prefix=_prefix("check", itinerary))

    def call(d: dict[str, Any]) -> Any:
        return services.pre_departure_check_record(acting_user=request.user, itinerary=itinerary, **d)

    return _submit(
        request,
        case,
        form,
        ("check", itinerary.pk),
        call,
        _("Pre-embarkation check recorded."),
        f"itinerary-{itinerary.pk}",
    )


# ---------------------------------------------------------------- the travel letter


@require_GET
def letter(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    from homeward.feedback.selectors import public_base
    from homeward.travel.letter import letter_pdf

    case = _case(request, reference)
    itinerary = _itinerary(case, itinerary_id)
    pdf = letter_pdf(itinerary, user=request.user, base_url=public_base(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="travel-letter-{case.reference}-{itinerary.pk}.pdf"'
    # Personal data: never kept by a shared cache or guessed into another type.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
