"""The public feedback form (no account) and the staff pages: a case's feedback, phone logging, the link card.

The public pages never look the case up: they render the same whatever the token
or code, and a submission answers with the same "thank you" whether or not it was
stored. The page's language travels in the URL (``?lang=``), printed on the letter.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.feedback import selectors, services
from homeward.feedback.forms import AnswerForm, CodeFeedbackForm, PhoneFeedbackForm, PublicFeedbackForm
from homeward.feedback.models import Feedback

log = logging.getLogger("homeward.feedback")


# ---------------------------------------------------------------- public


def _language(request: HttpRequest) -> str:
    """``?lang=`` when the site speaks it, else the browser's language the site speaks, else English."""
    ours = [code for code, _name in settings.LANGUAGES]
    asked = (request.POST.get("lang") or request.GET.get("lang") or "").lower()
    if asked in ours:
        return asked
    current = getattr(request, "LANGUAGE_CODE", "")
    return current if current in ours else "en"


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded header is whatever the sender wants it to be.
    return request.META.get("REMOTE_ADDR", "")


def _public_render(
    request: HttpRequest, template: str, context: dict[str, Any], language: str, status: int = 200
) -> HttpResponse:
    with translation.override(language):
        switcher = [(code, translation.get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES]
        context = {
            **context, "lang": language, "bidi": translation.get_language_bidi(), "switcher": switcher,
            "here": request.path,
        }  # fmt: skip
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    # The token is in the URL: never sent on to another site, never kept by a shared cache.
    # Not "no-referrer": the browser would then send "Origin: null" and fail the CSRF check.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public(request: HttpRequest, token: str | None) -> HttpResponse:
    language = _language(request)
    form_class = PublicFeedbackForm if token is not None else CodeFeedbackForm
    if request.method == "POST":
        if not services.attempt_allowed(ip=_client_ip(request)):
            return _public_render(request, "feedback/public_limited.html", {}, language, status=429)
        form = form_class(request.POST)
        if form.is_valid():
            if form.cleaned_data["website"]:
                log.info("feedback form: honeypot filled in, nothing stored")
                return redirect(f"{reverse('feedback:thanks')}?lang={language}")
            try:
                services.feedback_receive(
                    token=token or "", code=form.cleaned_data.get("code", ""), data=form.feedback_input(language)
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                return redirect(f"{reverse('feedback:thanks')}?lang={language}")
        return _public_render(request, "feedback/public_form.html", {"form": form}, language, status=400)
    return _public_render(request, "feedback/public_form.html", {"form": form_class()}, language)


@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, token: str) -> HttpResponse:
    return _public(request, token)


@require_http_methods(["GET", "POST"])
def public_code(request: HttpRequest) -> HttpResponse:
    return _public(request, None)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return _public_render(request, "feedback/public_thanks.html", {}, _language(request))


# ---------------------------------------------------------------- staff


def _case(request: HttpRequest, reference: str) -> Case:
    case = case_selectors.case_for_user(request.user, reference=reference)
    if not selectors.may_handle(request.user, case):
        raise PermissionDenied(_("Your role may not handle this case's feedback."))
    return case


def _link_context(request: HttpRequest, case: Case, *, make: bool) -> dict[str, Any]:
    """The link card; ``make``: issue the link if the case has none (printing it is a need, looking is not)."""
    link = services.feedback_link_for(case, acting_user=request.user) if make else selectors.live_link(case)
    if link is None:
        return {"link": None, "may_manage_link": selectors.may_manage_link(request.user, case)}
    url = selectors.public_url(link, case, selectors.public_base(request))
    return {
        "link": link,
        "url": url,
        "code_url": selectors.code_url(selectors.public_base(request)),
        "qr": selectors.qr_data_uri(url),
        "may_manage_link": selectors.may_manage_link(request.user, case),
    }


def _page(
    request: HttpRequest, case: Case, *, phone_form: PhoneFeedbackForm | None = None, answer: Any = None
) -> HttpResponse:
    rows = [
        {"feedback": f, "answer_form": answer[1] if answer and answer[0] == f.pk else AnswerForm(prefix=f"a{f.pk}")}
        for f in selectors.feedback_of(request.user, case)
    ]
    context = {
        "case": case,
        "rows": rows,
        "phone_form": phone_form or PhoneFeedbackForm(prefix="phone"),
        **_link_context(request, case, make=False),
    }
    return render(request, "feedback/case_feedback.html", context, status=400 if phone_form or answer else 200)


@require_GET
def case_feedback(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _case(request, reference))


@require_POST
def log_phone(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = PhoneFeedbackForm(request.POST, prefix="phone")
    if form.is_valid():
        try:
            feedback = services.feedback_log_phone(
                acting_user=request.user, case=case, data=form.feedback_input(form.cleaned_data["language"]),
                received_at=form.cleaned_data["received_at"],
            )  # fmt: skip
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Phone feedback recorded."))
            return redirect(reverse("feedback:case", args=[case.reference]) + f"#feedback-{feedback.pk}")
    messages.error(request, _("Nothing was saved: check the fields marked."))
    return _page(request, case, phone_form=form)


def _feedback(request: HttpRequest, feedback_id: int) -> Feedback:
    return selectors.feedback_for_user(request.user, feedback_id)


def _back(feedback: Feedback) -> HttpResponse:
    return redirect(reverse("feedback:case", args=[feedback.case.reference]) + f"#feedback-{feedback.pk}")


def _act(request: HttpRequest, feedback: Feedback, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(feedback)


@require_POST
def mark_read(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = _feedback(request, feedback_id)
    call = lambda: services.feedback_mark_read(acting_user=request.user, feedback=feedback)  # noqa: E731
    return _act(request, feedback, call, _("Marked read."))


@require_POST
def mark_complaint(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = _feedback(request, feedback_id)
    call = lambda: services.feedback_mark_complaint(acting_user=request.user, feedback=feedback)  # noqa: E731
    return _act(request, feedback, call, _("Marked as a complaint: the supervisors will review it."))


@require_POST
def answer(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = _feedback(request, feedback_id)
    form = AnswerForm(request.POST, prefix=f"a{feedback.pk}")
    if form.is_valid():
        try:
            services.feedback_answer(acting_user=request.user, feedback=feedback, note=form.cleaned_data["note"])
        except ServiceError as error:
            for message in error.fields.get("note", [error.message]):
                form.add_error("note", message)
        else:
            messages.success(request, _("Answer recorded."))
            return _back(feedback)
    messages.error(request, _("Nothing was saved: check the fields marked."))
    return _page(request, _case(request, feedback.case.reference), answer=(feedback.pk, form))


@require_GET
def link_print(request: HttpRequest, reference: str) -> HttpResponse:
    """A page to print or hand over: the code, the link and its QR code, in the returnee's language."""
    case = _case(request, reference)
    context = {"case": case, **_link_context(request, case, make=True)}
    with translation.override(selectors.returnee_language(case)):
        context["bidi"] = translation.get_language_bidi()
        return render(request, "feedback/link_print.html", context)


@require_POST
def link_regenerate(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    services.feedback_link_regenerate(acting_user=request.user, case=case)
    messages.success(
        request, _("A new link and code were issued: the old ones no longer work. Print the letter again.")
    )
    return redirect(reverse("feedback:case", args=[case.reference]) + "#feedback-link")


@require_POST
def link_revoke(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    services.feedback_link_revoke(acting_user=request.user, case=case)
    messages.success(request, _("The link and code no longer work."))
    return redirect(reverse("feedback:case", args=[case.reference]))
