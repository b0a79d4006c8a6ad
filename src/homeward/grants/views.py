"""A case's grants page, its action forms, the receipt download and the airport cash reconciliation.

Thin views: parse a form, call one service, redirect or show the page again with
the errors. A case the user may not see is a 404; an action the role may not take, a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.grants import entitlements, policy, selectors, services
from homeward.grants.forms import (
    HOUSEHOLD,
    ApproveForm,
    CancelForm,
    GrantForm,
    PayForm,
    ProposeForm,
    ReceiptForm,
    ReissueForm,
    ReturnForm,
)
from homeward.grants.models import Grant

S = Grant.Status
FROM_RECONCILE = "reconcile"


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _back(grant: Grant | None, case: Case, source: str = "") -> HttpResponse:
    if source == FROM_RECONCILE:
        return redirect("grants:reconcile")
    anchor = f"#grant-{grant.pk}" if grant is not None else ""
    return redirect(reverse("grants:case_grants", args=[case.reference]) + anchor)


# ---------------------------------------------------------------- what each role may do with a grant


def _may(user: Any, grant: Grant, pending: frozenset[int] = frozenset()) -> dict[str, bool]:
    """The actions offered on ``grant``; re-issuing only for airport cash still to reconcile (``pending``)."""
    live_cash = grant.status in (S.APPROVED, S.PAID) and grant.reissued_on is None
    return {
        "approve": grant.status == S.PROPOSED and policy.may_approve(user, grant),
        "pay": grant.status == S.APPROVED and grant.approved_by_id != user.pk and policy.may_pay(user, grant),
        "receipt": grant.status == S.PAID and not grant.receipt and policy.may_pay(user, grant),
        "cancel": grant.status in (S.PROPOSED, S.APPROVED) and policy.may_cancel(user, grant),
        "return": live_cash and policy.may_return(user, grant),
        "reissue": live_cash and grant.pk in pending and policy.may_reconcile(user, grant.case),
    }


ACTION_FORMS: dict[str, type[GrantForm]] = {
    "approve": ApproveForm,
    "pay": PayForm,
    "receipt": ReceiptForm,
    "cancel": CancelForm,
    "return": ReturnForm,
    "reissue": ReissueForm,
}


def _prefix(action: str, grant: Grant) -> str:
    return f"{action}{grant.pk}"


ACTIONS = {
    "approve": ("grants:approve", gettext_lazy("Approve")),
    "pay": ("grants:pay", gettext_lazy("Record the payment")),
    "receipt": ("grants:attach_receipt", gettext_lazy("Add the receipt")),
    "cancel": ("grants:cancel", gettext_lazy("Cancel")),
    "return": ("grants:return", gettext_lazy("Cash returned")),
    "reissue": ("grants:reissue", gettext_lazy("Handed over again")),
}


def _action_forms(
    user: Any,
    grant: Grant,
    bound: dict[Any, GrantForm],
    pending: frozenset[int],
    only: tuple[str, ...] = tuple(ACTIONS),
) -> list[dict[str, Any]]:
    """The forms ``user`` may use on ``grant`` now, the one sent with errors open."""
    forms = []
    for action, allowed in _may(user, grant, pending).items():
        if not allowed or action not in only:
            continue
        url_name, label = ACTIONS[action]
        form = bound.get((action, grant.pk))
        forms.append({
            "action": action, "label": label, "url": reverse(url_name, args=[grant.pk]), "open": form is not None,
            "form": form or ACTION_FORMS[action](prefix=_prefix(action, grant)),
        })  # fmt: skip
    return forms


# ---------------------------------------------------------------- the case's grants page


def _proposable(user: Any, case: Case, basis: Any, components: list[Any]) -> list[tuple[str, str]]:
    kinds = [k for k in entitlements.offered_kinds(basis) if policy.may_propose(user, case, k)]
    if not components and Grant.Kind.REINTEGRATION in kinds:
        kinds.remove(Grant.Kind.REINTEGRATION)
    return [(k, entitlements.kind_label(k)) for k in kinds]


def _page(request: HttpRequest, case: Case, bound: dict[Any, GrantForm] | None = None) -> HttpResponse:
    bound = bound or {}
    user = request.user
    grants = list(selectors.grants_of(user, case))
    basis = entitlements.basis_of(case)
    components = selectors.cash_components(case)
    kinds = _proposable(user, case, basis, components)
    members = list(case.members.all())
    propose_form = bound.get("propose") or (
        ProposeForm(prefix="propose", kinds=kinds, members=members, components=components) if kinds else None
    )
    pending = frozenset(selectors.airport_cash_to_reconcile(user, case).values_list("pk", flat=True))
    rows = [{"grant": g, "forms": _action_forms(user, g, bound, pending)} for g in grants]
    context = {
        "case": case,
        "rows": rows,
        "summary": entitlements.summary(case, basis, grants),
        "basis": basis,
        "in_kind_only": basis is not None
        and basis.gives(Grant.Kind.REINTEGRATION)
        and basis.reintegration_payment == "in_kind",
        "propose_form": propose_form,
        "may_propose": policy.may_propose_any(user, case),
        "to_reconcile": len(pending),
    }
    return render(request, "grants/case_grants.html", context, status=400 if bound else 200)


@require_GET
def case_grants(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _case(request, reference))


@require_POST
def grant_propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not policy.may_propose_any(request.user, case):
        raise PermissionDenied(_("Your role may not propose grants for this case."))
    components = selectors.cash_components(case)
    members = {str(m.pk): m for m in case.members.all()}
    # Every kind is accepted here: the service says in words why one is not given.
    kinds = [(k, entitlements.kind_label(k)) for k in Grant.Kind.values]
    form = ProposeForm(request.POST, prefix="propose", kinds=kinds, members=list(members.values()),
                       components=components)  # fmt: skip
    if form.is_valid():
        d = form.cleaned_data
        component = selectors.component_of(case, d["component"]) if d.get("component") is not None else None
        try:
            grant = services.grant_propose(
                acting_user=request.user, case=case, kind=d["kind"],
                member=members.get(d["member"]) if d["member"] != HOUSEHOLD else None, days=d["days"],
                amount=d["amount"], at_airport=d["at_airport"], note=d["note"],
                override_reason=d["override_reason"], component=component,
            )  # fmt: skip
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(kind)s of %(amount)s %(currency)s proposed.")
                % {"kind": grant.get_kind_display(), "amount": grant.amount, "currency": grant.currency},
            )
            return _back(grant, case)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _page(request, case, {"propose": form})


# ---------------------------------------------------------------- actions on one grant


def _call(action: str, request: HttpRequest, grant: Grant, d: dict[str, Any]) -> Grant:
    user = request.user
    calls: dict[str, Callable[[], Grant]] = {
        "approve": lambda: services.grant_approve(acting_user=user, grant=grant, override_reason=d["override_reason"]),
        "pay": lambda: services.grant_pay(
            acting_user=user,
            grant=grant,
            paid_on=d["paid_on"],
            method=d["method"],
            paid_amount=d["paid_amount"],
            paid_currency=d["paid_currency"] or None,
            payment_reference=d["payment_reference"],
            receipt=d["receipt"],
        ),
        "receipt": lambda: services.grant_attach_receipt(acting_user=user, grant=grant, receipt=d["receipt"]),
        "cancel": lambda: services.grant_cancel(acting_user=user, grant=grant, reason=d["reason"]),
        "return": lambda: services.grant_return(
            acting_user=user, grant=grant, reason=d["reason"], returned_on=d["returned_on"]
        ),
        "reissue": lambda: services.grant_reissue(
            acting_user=user, grant=grant, note=d["note"], reissued_on=d["reissued_on"]
        ),
    }
    return calls[action]()


DONE = {
    "approve": gettext_lazy("Grant approved: its amount is committed on the budget line."),
    "pay": gettext_lazy("Payment recorded."),
    "receipt": gettext_lazy("Receipt kept with the grant."),
    "cancel": gettext_lazy("Grant cancelled."),
    "return": gettext_lazy("Cash recorded as returned."),
    "reissue": gettext_lazy("Cash recorded as handed over again."),
}


ROLE_MAY: dict[str, Callable[[Any, Grant], bool]] = {
    "approve": policy.may_approve,
    "pay": policy.may_pay,
    "receipt": policy.may_pay,
    "cancel": policy.may_cancel,
    "return": policy.may_return,
    "reissue": lambda user, grant: policy.may_reconcile(user, grant.case),
}


def _act(request: HttpRequest, grant_id: int, action: str) -> HttpResponse:
    grant = selectors.grant_for_user(request.user, grant_id)
    if not ROLE_MAY[action](request.user, grant):
        raise PermissionDenied(_("Your role may not do this with this grant."))
    # A grant no longer in a state for the action (paid meanwhile...) is refused by the service, in words.
    form = ACTION_FORMS[action](request.POST, request.FILES, prefix=_prefix(action, grant))
    source = request.POST.get("from", "")
    if form.is_valid():
        try:
            _call(action, request, grant, form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, str(DONE[action]))
            return _back(grant, grant.case, source)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    if source == FROM_RECONCILE:
        return _reconcile_page(request, {(action, grant.pk): form})
    return _page(request, _case(request, grant.case.reference), {(action, grant.pk): form})


def _action_view(action: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_POST
    def view(request: HttpRequest, grant_id: int) -> HttpResponse:
        return _act(request, grant_id, action)

    view.__name__ = f"grant_{action}"
    return view


grant_approve = _action_view("approve")
grant_pay = _action_view("pay")
grant_attach_receipt = _action_view("receipt")
grant_cancel = _action_view("cancel")
grant_return = _action_view("return")
grant_reissue = _action_view("reissue")


@require_GET
def receipt(request: HttpRequest, grant_id: int) -> HttpResponse:
    """The receipt's scan, only to users who may see the case (404 otherwise)."""
    grant = selectors.grant_for_user(request.user, grant_id)
    extension = files.ALLOWED_TYPES.get(grant.receipt_content_type, "")
    return files.serve_private(
        grant.receipt, grant.receipt_content_type, f"receipt-{grant.case.reference}-{grant.pk}{extension}"
    )


# ---------------------------------------------------------------- airport cash to reconcile


def _reconcile_page(request: HttpRequest, bound: dict[Any, GrantForm] | None = None) -> HttpResponse:
    if not policy.reconciling_missions(request.user):
        raise PermissionDenied(_("Your role does not reconcile airport cash."))
    bound = bound or {}
    grants = list(selectors.airport_cash_to_reconcile(request.user))
    pending = frozenset(g.pk for g in grants)
    rows = [
        {"grant": g, "forms": _action_forms(request.user, g, bound, pending, only=("return", "reissue"))}
        for g in grants
    ]
    return render(request, "grants/reconcile.html", {"rows": rows}, status=400 if bound else 200)


@require_GET
def reconcile(request: HttpRequest) -> HttpResponse:
    return _reconcile_page(request)
