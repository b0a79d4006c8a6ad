"""Review of likely duplicates, merge, undo and "not the same person".

Thin views: a person of a mission the reader may not see is a 404; a decision by someone who
is not a case supervisor of every mission concerned, a 403 (``services`` decides).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.errors import ServiceError
from homeward.core.forms import ServiceErrorsMixin, StyledFormMixin, show_refusal
from homeward.matching import review, services
from homeward.matching.models import NotSamePerson
from homeward.matching.services import REASON_MIN


class MergeForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are these one person?"), min_length=REASON_MIN, max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    into = forms.ChoiceField(choices=[("left", "left"), ("right", "right")], widget=forms.HiddenInput)


class NotSameForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _supervisor(request: HttpRequest) -> None:
    if not permissions.has_perm_anywhere(request.user, Perm.ASSIGN_CASE):
        raise PermissionDenied(_("Only a case supervisor reviews duplicates."))


# --- The batch run's pairs ---------------------------------------------------


@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    _supervisor(request)
    job = review.latest_run(request.user)
    rows, total = review.pairs_of(request.user, job) if job is not None and job.status == "done" else ([], 0)
    context = {"job": job, "rows": rows, "total": total}
    template = "matching/_duplicates.html" if request.htmx else "matching/duplicates.html"
    return render(request, template, context)


@require_POST
def duplicates_run(request: HttpRequest) -> HttpResponse:
    from homeward.matching import batch

    _supervisor(request)
    batch.duplicates_run_start(acting_user=request.user)
    messages.success(request, _("The search for duplicates has started."))
    return redirect("matching:duplicates")


# --- Two persons side by side -------------------------------------------------


def _decidable(request: HttpRequest, a: int, b: int) -> tuple[Any, Any]:
    """The two persons, visible to the user (else 404) who supervises all their missions (else 403)."""
    if a == b:
        raise Http404
    left, right = review.person_for(request.user, a), review.person_for(request.user, b)
    if not services.may_decide(request.user, left, right):
        raise PermissionDenied(_("Only a case supervisor of every mission holding these persons' cases decides."))
    return left, right


def _pair_page(
    request: HttpRequest,
    a: int,
    b: int,
    *,
    merge_form: MergeForm | None = None,
    not_same_form: NotSameForm | None = None,
) -> HttpResponse:
    pair = review.pair_for(request.user, a, b)
    context = {
        "pair": pair,
        "merge_form": merge_form or MergeForm(prefix="merge"),
        "not_same_form": not_same_form or NotSameForm(prefix="not_same"),
    }
    return render(request, "matching/pair.html", context, status=400 if merge_form or not_same_form else 200)


@require_GET
def pair(request: HttpRequest, a: int, b: int) -> HttpResponse:
    return _pair_page(request, a, b)


@require_POST
def pair_merge(request: HttpRequest, a: int, b: int) -> HttpResponse:
    left, right = _decidable(request, a, b)
    form = MergeForm(request.POST, prefix="merge")
    if form.is_valid():
        survivor, merged = (left, right) if form.cleaned_data["into"] == "left" else (right, left)
        try:
            merge = services.person_merge(
                acting_user=request.user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(
                request,
                _("%(merged)s was merged into %(survivor)s.")
                % {"merged": merged.full_name, "survivor": survivor.full_name},
            )
            return redirect("matching:merge", merge.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _pair_page(request, a, b, merge_form=form)


@require_POST
def pair_not_same(request: HttpRequest, a: int, b: int) -> HttpResponse:
    left, right = _decidable(request, a, b)
    form = NotSameForm(request.POST, prefix="not_same")
    if form.is_valid():
        try:
            services.not_same_person(acting_user=request.user, first=left, second=right, note=form.cleaned_data["note"])
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Recorded: these are two people. The pair will not be proposed again."))
            return redirect("matching:pair", a, b)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _pair_page(request, a, b, not_same_form=form)


@require_POST
def not_same_undo(request: HttpRequest, pk: int) -> HttpResponse:
    decision = NotSamePerson.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404
    first = review.person_for(request.user, decision.first_id)
    second = review.person_for(request.user, decision.second_id)
    try:
        services.not_same_undo(acting_user=request.user, decision=decision)
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("The decision was withdrawn: the pair may be proposed again."))
    return redirect("matching:pair", first.pk, second.pk)


# --- A merge --------------------------------------------------------------------


@require_GET
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    found = review.merge_for(request.user, pk)
    context: dict[str, Any] = {
        "merge": found,
        "moved": review.moved_of(request.user, found),
        "filled": review.filled_of(found),
        "may_undo": found.undone_at is None and services.may_decide(request.user, found.survivor, found.merged),
    }
    return render(request, "matching/merge.html", context)


@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    found = review.merge_for(request.user, pk)
    try:
        services.merge_undo(acting_user=request.user, merge=found)
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("The merge was undone: the two records are apart again."))
    return redirect("matching:merge", found.pk)


urlpatterns = [
    path("matching/duplicates/", duplicates, name="duplicates"),
    path("matching/duplicates/run", duplicates_run, name="duplicates_run"),
    path("matching/pair/<int:a>/<int:b>/", pair, name="pair"),
    path("matching/pair/<int:a>/<int:b>/merge", pair_merge, name="pair_merge"),
    path("matching/pair/<int:a>/<int:b>/not-same", pair_not_same, name="pair_not_same"),
    path("matching/not-same/<int:pk>/undo", not_same_undo, name="not_same_undo"),
    path("matching/merges/<int:pk>/", merge, name="merge"),
    path("matching/merges/<int:pk>/undo", merge_undo, name="merge_undo"),
]
