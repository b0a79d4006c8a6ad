"""The safeguarding checklist page, its evidence files, and removing an item recorded by mistake."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core import files, reads
from homeward.core.errors import ServiceError
from homeward.people.taxonomy import NAMES
from homeward.safeguarding import selectors, services
from homeward.safeguarding.forms import ItemForm, parse_target, target_key


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _groups(required: list[selectors.Required]) -> list[dict[str, Any]]:
    """Per member, per vulnerability, the items in checklist order."""
    groups: dict[int, dict[str, Any]] = {}
    for r in required:
        group = groups.setdefault(r.member.pk, {"member": r.member, "vulnerabilities": {}})
        group["vulnerabilities"].setdefault(
            r.vulnerability, {"code": r.vulnerability, "name": NAMES.get(r.vulnerability, r.vulnerability), "items": []}
        )["items"].append({"required": r, "key": target_key(r)})
    return [{**g, "vulnerabilities": list(g["vulnerabilities"].values())} for g in groups.values()]


def _refuse_hidden_target(request: HttpRequest, case: Case) -> None:
    """A post naming a vulnerability the user may not see is refused before anything else is said."""
    target = parse_target(request.POST.get("target", ""))
    if target and selectors.sensitivity_of(target[1]) not in permissions.visible_sensitivities(request.user, case):
        raise PermissionDenied(_("You may not record safeguarding items of this kind."))


def _record(request: HttpRequest, case: Case, form: ItemForm) -> bool:
    member_id, vulnerability, item = parse_target(form.cleaned_data["target"])  # type: ignore[misc]
    try:
        services.item_record(
            acting_user=request.user,
            case=case,
            member=case_selectors.member_of(case, member_id),
            vulnerability=vulnerability,
            item=item,
            done_on=form.cleaned_data["done_on"],
            evidence=form.cleaned_data["evidence"],
            evidence_file=form.cleaned_data.get("evidence_file"),
        )
    except ServiceError as error:
        form.add_service_error(error)
        messages.error(request, error.message)
        return False
    return True


@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest, reference: str) -> HttpResponse:
    """What the case's vulnerabilities require before travel, done or missing, as far as the user may see."""
    case = _case(request, reference)
    can_record = services.can_record(request.user, case)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(
                _("Only a counsellor or a movement officer of the host mission records these items.")
            )
        _refuse_hidden_target(request, case)
    state = selectors.checklist_for_user(request.user, case)
    reads.record_request_reads(request, state.shown(), case_id=case.pk, via=reads.Via.SAFEGUARDING)
    form = None
    if can_record and (state.missing or request.method == "POST"):
        initial = {"target": request.GET.get("item", "")}
        form = ItemForm(request.POST or None, request.FILES or None, missing=state.missing, initial=initial)
    if form is not None and request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("The item was not recorded: check the fields marked."))
        elif _record(request, case, form):
            messages.success(request, _("Safeguarding item recorded."))
            return redirect("safeguarding:checklist", reference=case.reference)
    return render(
        request,
        "safeguarding/checklist.html",
        {
            "case": case,
            "state": state,
            "groups": _groups(state.visible),
            "form": form,
            "can_remove": services.can_remove(request.user, case),
        },
    )


@require_GET
def evidence(request: HttpRequest, reference: str, item_id: int) -> Any:
    """An item's evidence file, only to users who see the case and the item's sensitivity."""
    case = _case(request, reference)
    item = selectors.visible_item(request.user, case, item_id)
    sensitivity = selectors.sensitivity_of(item.vulnerability)
    reads.record_request_reads(request, [(item, sensitivity)], case_id=case.pk, via=reads.Via.EVIDENCE)
    extension = files.ALLOWED_TYPES.get(item.evidence_content_type, "")
    return files.serve_private(
        item.evidence_file, item.evidence_content_type, f"{case.reference}-{item.item}-evidence{extension}"
    )


@require_POST
def item_remove(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = _case(request, reference)
    item = selectors.visible_item(request.user, case, item_id)
    try:
        services.item_remove(acting_user=request.user, item=item)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Safeguarding item removed."))
    return redirect("safeguarding:checklist", reference=case.reference)
