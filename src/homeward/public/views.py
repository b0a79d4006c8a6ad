"""The public site (no login) and its editor (administrators).

Public pages render inside ``translation.override(lang)``: the staff languages
(settings.LANGUAGES) stay as they are, and every string, country, language and
weekday name comes out in the visitor's language. They show pages, offices and
the hotline, never anything about a case, an inquiry or a person; the
acknowledgement code is shown once, in the answer to the form's POST.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import Mission
from homeward.core import languages as iso639
from homeward.core import throttle
from homeward.core.errors import ServiceError
from homeward.public import content, languages, selectors, services
from homeward.public.forms import PageForm, SelfReferralForm, TranslationForm
from homeward.public.models import Page

log = logging.getLogger("homeward.public")
BODY_LIMIT = 16 * 1024
CACHE_SECONDS = 300
THROTTLE_FORM = "self_referral"

# ---------------------------------------------------------------- rendering


def _switcher(request: HttpRequest, lang: str) -> list[dict[str, Any]]:
    """The same page in each language of the site, each language named in itself."""
    match = request.resolver_match
    links = []
    for code in languages.codes():
        if match is not None and "lang" in match.kwargs:
            url = reverse(f"public:{match.url_name}", kwargs={**match.kwargs, "lang": code})
        else:
            url = f"{request.path}?lang={code}"
        links.append({"code": code, "name": languages.native_name(code), "url": url, "current": code == lang})
    return links


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], lang: str, *, status: int = 200, cache: bool = True
) -> HttpResponse:
    with translation.override(lang):
        context = {
            **context, "lang": lang, "lang_name": languages.native_name(lang), "rtl": languages.is_rtl(lang),
            "switcher": _switcher(request, lang),
        }  # fmt: skip
        # render(), not a TemplateResponse: the template must be rendered inside the override.
        response = render(request, template, context, status=status)
    response["Content-Language"] = lang
    response["Referrer-Policy"] = "same-origin"
    if cache:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    else:
        # A form (its CSRF token) or an acknowledgement: never kept by any cache.
        response["Cache-Control"] = "private, no-store"
    return response


def _site(code: str, lang: str) -> Mission:
    if not languages.is_public(lang):
        raise Http404
    return selectors.site_mission(code)


def _site_context(mission: Mission, lang: str) -> dict[str, Any]:
    return {"mission": mission, "menu": selectors.menu(mission, lang)}


# ---------------------------------------------------------------- public pages


@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get("lang", "")
    lang = asked if languages.is_public(asked) else languages.negotiate(request.headers.get("Accept-Language", ""))
    response = _render(request, "public/site_list.html", {"missions": selectors.missions_with_site()}, lang)
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_GET
def site_root(request: HttpRequest, code: str) -> HttpResponse:
    """The site's address without a language: on to the visitor's language, from the browser's, else English."""
    selectors.site_mission(code)
    lang = languages.negotiate(request.headers.get("Accept-Language", ""))
    response = redirect("public:home", code=code, lang=lang)
    patch_vary_headers(response, ["Accept-Language"])
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_GET
def home(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    mission = _site(code, lang)
    return _render(request, "public/home.html", _site_context(mission, lang), lang)


@require_GET
def page(request: HttpRequest, code: str, lang: str, slug: str) -> HttpResponse:
    mission = _site(code, lang)
    shown = selectors.published_page(mission, slug, lang)
    context = {**_site_context(mission, lang), "shown": shown, "body": content.render(shown.translation.body)}
    return _render(request, "public/page.html", context, lang)


@require_GET
def contact(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    mission = _site(code, lang)
    with translation.override(lang):
        offices = [
            {
                "office": office,
                "hours": [(h.get_weekday_display(), f"{h.opens:%H:%M}–{h.closes:%H:%M}") for h in office.hours.all()],
                "languages": [iso639.name(c) for c in office.languages],
            }
            for office in selectors.public_offices(mission)
        ]
    return _render(request, "public/contact.html", {**_site_context(mission, lang), "offices": offices}, lang)


def _too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > BODY_LIMIT
    except ValueError:
        return True


@csrf_exempt  # checked by csrf_protect below, once the size is known to be small
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    """The self-referral form. A body over 16 KB is refused (413) before anything reads it.

    The CSRF check reads the body, so it runs after the size check, not in the middleware.
    """
    if request.method == "POST" and _too_large(request):
        lang = lang if languages.is_public(lang) else languages.DEFAULT
        log.warning("self-referral: a body of %s bytes refused", request.META.get("CONTENT_LENGTH"))
        return _render(request, "public/too_large.html", {}, lang, status=413, cache=False)
    return _apply(request, code, lang)


@csrf_protect
def _apply(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    mission = _site(code, lang)
    context = _site_context(mission, lang)
    if request.method != "POST":
        with translation.override(lang):
            form = SelfReferralForm(page_language=lang)
        return _form_page(request, context, form, lang)
    if not throttle.attempt_allowed(
        form=THROTTLE_FORM, ip=throttle.client_ip(request), per_hour=settings.HOMEWARD_SELF_REFERRALS_PER_HOUR, log=log
    ):
        return _render(request, "public/limited.html", context, lang, status=429, cache=False)
    if request.POST.get("website"):
        # A robot: it sees what a person would, with a code that matches nothing, and nothing is kept.
        log.info("self-referral: honeypot filled in for %s, nothing stored", mission.code)
        return _to_ack(mission, lang, services.new_code())
    with translation.override(lang):
        form = SelfReferralForm(request.POST, page_language=lang)
        if form.is_valid():
            try:
                inquiry = services.self_referral_submit(mission=mission, data=form.referral_input(), page_language=lang)
            except ServiceError as error:
                form.add_service_error(error)
            else:
                return _to_ack(mission, lang, inquiry.code)
    return _form_page(request, context, form, lang, status=400)


ACK_SALT = "homeward.public.ack"
ACK_MAX_AGE = 24 * 3600


def _to_ack(mission: Mission, lang: str, code: str) -> HttpResponse:
    """Redirect after the POST, so a reload on a poor connection shows the code again instead of sending twice."""
    token = signing.dumps({"m": mission.code, "c": code}, salt=ACK_SALT, compress=True)
    return redirect("public:ack", mission.code, lang, token)


@require_http_methods(["GET"])
def ack(request: HttpRequest, code: str, lang: str, token: str) -> HttpResponse:
    """The acknowledgement code, read from a signed token a day old at most: nothing is looked up."""
    mission = _site(code, lang)
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if data.get("m") != mission.code:
        raise Http404
    context = {**_site_context(mission, lang), "code": data["c"]}
    return _render(request, "public/ack.html", context, lang, cache=False)


def _form_page(
    request: HttpRequest, context: dict[str, Any], form: SelfReferralForm, lang: str, status: int = 200
) -> HttpResponse:
    with translation.override(lang):
        consent = services.consent_text()
    return _render(
        request, "public/apply.html", {**context, "form": form, "consent": consent}, lang, status=status, cache=False
    )


# ---------------------------------------------------------------- editor (administrators)


@require_GET
def editor_index(request: HttpRequest) -> HttpResponse:
    missions = list(selectors.editable_missions(request.user))
    if not missions:
        raise PermissionDenied(_("Only an administrator of a mission edits its public site."))
    if len(missions) == 1:
        return redirect("public:editor_pages", code=missions[0].code)
    return render(request, "public/editor_index.html", {"missions": missions})


def _pages_page(request: HttpRequest, mission: Mission, form: PageForm | None = None) -> HttpResponse:
    pages = selectors.pages_for_editor(mission)
    rows = []
    for p in pages:
        have = {t.language for t in p.translations.all()}
        rows.append({"page": p, "have": [c for c in languages.codes() if c in have],
                     "missing": [c for c in languages.codes() if c not in have]})  # fmt: skip
    context = {"mission": mission, "rows": rows, "form": form or PageForm()}
    return render(request, "public/editor_pages.html", context, status=400 if form else 200)


@require_GET
def editor_pages(request: HttpRequest, code: str) -> HttpResponse:
    return _pages_page(request, selectors.mission_for_editor(request.user, code))


@require_POST
def editor_page_create(request: HttpRequest, code: str) -> HttpResponse:
    mission = selectors.mission_for_editor(request.user, code)
    form = PageForm(request.POST)
    if form.is_valid():
        try:
            created = services.page_create(acting_user=request.user, mission=mission, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Page added. Write its English text, then publish it."))
            return redirect("public:editor_translation", code=code, page_id=created.pk, lang=languages.DEFAULT)
    messages.error(request, _("Nothing was saved: check the fields marked."))
    return _pages_page(request, mission, form)


def _page_context(mission: Mission, page_obj: Page) -> dict[str, Any]:
    have = {t.language: t for t in page_obj.translations.all()}
    translations = [
        {"code": c, "name": languages.native_name(c), "translation": have.get(c)} for c in languages.codes()
    ]
    return {"mission": mission, "page": page_obj, "translations": translations}


@require_http_methods(["GET", "POST"])
def editor_page(request: HttpRequest, code: str, page_id: int) -> HttpResponse:
    mission = selectors.mission_for_editor(request.user, code)
    page_obj = selectors.page_for_editor(mission, page_id)
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            try:
                services.page_update(acting_user=request.user, page=page_obj, **form.cleaned_data)
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Page saved."))
                return redirect("public:editor_page", code=code, page_id=page_obj.pk)
        messages.error(request, _("Nothing was saved: check the fields marked."))
    else:
        form = PageForm(initial={"slug": page_obj.slug, "kind": page_obj.kind, "position": page_obj.position})
    context = {**_page_context(mission, page_obj), "form": form}
    return render(request, "public/editor_page.html", context, status=400 if form.is_bound else 200)


@require_POST
def editor_publish(request: HttpRequest, code: str, page_id: int) -> HttpResponse:
    mission = selectors.mission_for_editor(request.user, code)
    page_obj = selectors.page_for_editor(mission, page_id)
    published = request.POST.get("published") == "1"
    try:
        services.page_publish(acting_user=request.user, page=page_obj, published=published)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published.") if published else _("Taken off the public site."))
    return redirect("public:editor_page", code=code, page_id=page_obj.pk)


@require_http_methods(["GET", "POST"])
def editor_translation(request: HttpRequest, code: str, page_id: int, lang: str) -> HttpResponse:
    """One language of a page: write it, or preview it as visitors will see it (the preview saves nothing)."""
    mission = selectors.mission_for_editor(request.user, code)
    page_obj = selectors.page_for_editor(mission, page_id)
    if not languages.is_public(lang):
        raise Http404
    existing = selectors.translation_of(page_obj, lang)
    preview = None
    status = 200
    if request.method == "POST":
        form = TranslationForm(request.POST)
        if form.is_valid() and "preview" in request.POST:
            preview = _preview(page_obj, lang, form.cleaned_data["title"], form.cleaned_data["body"])
        elif form.is_valid():
            try:
                services.page_translation_save(
                    acting_user=request.user, page=page_obj, language=lang, **form.cleaned_data
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Text saved."))
                return redirect("public:editor_page", code=code, page_id=page_obj.pk)
        if preview is None:
            status = 400
            messages.error(request, _("Nothing was saved: check the fields marked."))
    else:
        initial = {"title": existing.title, "body": existing.body} if existing else {}
        form = TranslationForm(initial=initial)
    context = {
        "mission": mission, "page": page_obj, "lang": lang, "lang_name": languages.native_name(lang),
        "rtl": languages.is_rtl(lang), "form": form, "preview": preview, "existing": existing,
    }  # fmt: skip
    return render(request, "public/editor_translation.html", context, status=status)


def _preview(page_obj: Page, lang: str, title: str, body: str) -> str:
    """The page's article as the public template renders it, in its language, from the unsaved text."""
    with translation.override(lang):
        return render_to_string(
            "public/_article.html",
            {"title": title, "body": content.render(body), "fallback": False, "lang_name": languages.native_name(lang)},
        )
