"""Outreach pages: campaigns and what happened in them, the hotline log, the funnel, how a case heard of us.

Thin views: parse a form, call one service, redirect or show the page again with
the errors. Something of another mission is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.core.errors import ServiceError
from homeward.core.forms import show_refusal
from homeward.outreach import selectors, services
from homeward.outreach.forms import (
    CallForm,
    CampaignForm,
    InquiryForm,
    MaterialForm,
    MeetingForm,
    OutreachForm,
    SessionForm,
    SourceForm,
)
from homeward.outreach.models import Campaign, HotlineCall, HowHeard, InfoSession, MaterialDistribution, OutreachMeeting
from homeward.programmes.models import Programme

HOTLINE_ROWS = 200


def _write_missions(request: HttpRequest) -> list[Mission]:
    return list(Mission.objects.filter(pk__in=selectors.write_missions(request.user)))


def _programmes(missions: list[Mission]) -> list[Programme]:
    return list(Programme.objects.filter(missions__in=missions).distinct())


# ---------------------------------------------------------------- campaigns


def _campaign_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> CampaignForm | None:
    missions = _write_missions(request)
    if not missions:
        return None
    return CampaignForm(data, missions=missions, programmes=_programmes(missions), prefix="campaign", **kwargs)


def _campaigns_page(request: HttpRequest, form: CampaignForm | None = None) -> HttpResponse:
    campaigns = list(selectors.campaigns_for(request.user))
    if not campaigns and not selectors.read_missions(request.user):
        raise PermissionDenied(_("Your role does not show outreach."))
    context = {"campaigns": campaigns, "form": form or _campaign_form(request)}
    return render(request, "outreach/campaigns.html", context, status=400 if form else 200)


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return _campaigns_page(request)


def _campaign_input(d: dict[str, Any]) -> services.CampaignInput:
    programme = Programme.objects.filter(pk=d["programme"]).first()
    if programme is None:
        raise ServiceError(_("Unknown programme."), {"programme": [_("Choose from the list.")]})
    return services.CampaignInput(
        programme=programme, name=d["name"], start=d["start"], end=d["end"], description=d["description"]
    )


@require_POST
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = _campaign_form(request, request.POST)
    if form is None:
        raise PermissionDenied(_("Your role does not record outreach or hotline calls for this mission."))
    if form.is_valid():
        d = form.cleaned_data
        try:
            mission = Mission.objects.get(pk=d["mission"])
            campaign = services.campaign_create(acting_user=request.user, mission=mission, data=_campaign_input(d))
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Campaign %(name)s started.") % {"name": campaign.name})
            return redirect("outreach:campaign", campaign.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _campaigns_page(request, form)


# ---------------------------------------------------------------- one campaign and what happened in it

PARTS: dict[str, tuple[type[OutreachForm], Any, Any, str]] = {
    "session": (SessionForm, services.SessionInput, services.session_record, "sessions"),
    "material": (MaterialForm, services.MaterialInput, services.material_record, "materials"),
    "meeting": (MeetingForm, services.MeetingInput, services.meeting_record, "meetings"),
}


def _campaign_page(
    request: HttpRequest, campaign: Campaign, bound: dict[str, OutreachForm] | None = None
) -> HttpResponse:
    bound = bound or {}
    writer = selectors.may_write(request.user, campaign.mission_id)
    forms: dict[str, OutreachForm | None] = {}
    for key, (form_class, *_rest) in PARTS.items():
        forms[key] = bound.get(key) or (form_class(prefix=key) if writer else None)
    edit_form = bound.get("campaign")
    if edit_form is None and writer:
        edit_form = CampaignForm(
            missions=[campaign.mission], programmes=_programmes([campaign.mission]), prefix="campaign",
            initial={"mission": campaign.mission_id, "programme": campaign.programme_id, "name": campaign.name,
                     "start": campaign.start, "end": campaign.end, "description": campaign.description},
        )  # fmt: skip
    context = {
        "campaign": campaign,
        "sessions": list(selectors.sessions_of(campaign)),
        "materials": list(selectors.materials_of(campaign)),
        "meetings": list(selectors.meetings_of(campaign)),
        "forms": forms,
        "edit_form": edit_form,
        "open": next(iter(bound), ""),
    }
    return render(request, "outreach/campaign.html", context, status=400 if bound else 200)


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_page(request, selectors.campaign_for(request.user, pk))


@require_POST
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    if not selectors.may_write(request.user, campaign.mission_id):
        raise PermissionDenied(_("Your role does not record outreach or hotline calls for this mission."))
    form = CampaignForm(
        request.POST, missions=[campaign.mission], programmes=_programmes([campaign.mission]), prefix="campaign"
    )
    if form.is_valid():
        try:
            services.campaign_update(
                acting_user=request.user, campaign=campaign, data=_campaign_input(form.cleaned_data)
            )
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("outreach:campaign", campaign.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _campaign_page(request, campaign, {"campaign": form})


@require_POST
def campaign_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    if not selectors.may_write(request.user, campaign.mission_id):
        raise PermissionDenied(_("Your role does not record outreach or hotline calls for this mission."))
    form_class, input_class, record, anchor = PARTS[part]
    form = form_class(request.POST, prefix=part)
    if form.is_valid():
        try:
            record(acting_user=request.user, campaign=campaign, data=input_class(**form.cleaned_data))
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect(reverse("outreach:campaign", args=[campaign.pk]) + f"#{anchor}")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _campaign_page(request, campaign, {part: form})


# ---------------------------------------------------------------- the hotline


def _hotline_page(
    request: HttpRequest, form: CallForm | None = None, inquiry: tuple[int, InquiryForm] | None = None
) -> HttpResponse:
    calls = list(selectors.calls_for(request.user)[:HOTLINE_ROWS])
    if not permissions.has_perm_anywhere(request.user, Perm.VIEW_CASE):
        raise PermissionDenied(_("Your role does not show the hotline log."))
    missions = _write_missions(request)
    writable = {m.pk for m in missions}
    rows = [
        {
            "call": c,
            "convert": c.case_id is None and c.mission_id in writable,
            "inquiry_form": inquiry[1] if inquiry and inquiry[0] == c.pk else InquiryForm(prefix=f"inquiry{c.pk}"),
            # What the button cannot take from the call and must be typed.
            "needs_name": c.caller_kind != c.CallerKind.MIGRANT or not c.caller_name,
            "needs_country": not c.destination_country,
        }
        for c in calls
    ]
    context = {"rows": rows, "form": form or (CallForm(missions=missions, prefix="call") if missions else None)}
    return render(request, "outreach/hotline.html", context, status=400 if form or inquiry else 200)


@require_GET
def hotline(request: HttpRequest) -> HttpResponse:
    return _hotline_page(request)


@require_POST
def call_log(request: HttpRequest) -> HttpResponse:
    missions = _write_missions(request)
    if not missions:
        raise PermissionDenied(_("Your role does not record outreach or hotline calls for this mission."))
    form = CallForm(request.POST, missions=missions, prefix="call")
    if form.is_valid():
        d = dict(form.cleaned_data)
        mission = next(m for m in missions if m.pk == d.pop("mission"))
        try:
            call = services.call_log(acting_user=request.user, mission=mission, data=services.CallInput(**d))
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Call logged."))
            return redirect(reverse("outreach:hotline") + f"#call-{call.pk}")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _hotline_page(request, form=form)


@require_POST
def call_to_inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_for(request.user, pk)
    form = InquiryForm(request.POST, prefix=f"inquiry{call.pk}")
    form.is_valid()  # every field is optional: what is missing, the service says in words
    d = form.cleaned_data
    try:
        case = services.call_to_inquiry(
            acting_user=request.user, call=call, given_names=d.get("given_names", ""),
            family_name=d.get("family_name", ""), destination_country=d.get("destination_country", ""),
        )  # fmt: skip
    except ServiceError as error:
        show_refusal(request, form, error)
        return _hotline_page(request, inquiry=(call.pk, form))
    messages.success(request, _("Inquiry case %(reference)s opened from the call.") % {"reference": case.reference})
    return redirect("cases:detail", case.reference)


# ---------------------------------------------------------------- the funnel


def _date(raw: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@require_GET
def funnel(request: HttpRequest) -> HttpResponse:
    programmes = list(selectors.funnel_programmes(request.user))
    if not programmes:
        raise PermissionDenied(_("Your role does not show programme figures."))
    today = timezone.localdate()
    date_from = _date(request.GET.get("from"), today.replace(month=1, day=1))
    date_to = _date(request.GET.get("to"), today)
    raw = request.GET.get("programme") or ""
    programme = selectors.funnel_programme_for(request.user, int(raw)) if raw.isdigit() else programmes[0]
    figures = selectors.funnel(programme, date_from, date_to)
    labels = {
        "contacts": _("Contacts (hotline calls and session participants)"),
        "inquiries": _("Inquiries"),
        "registrations": _("Registrations"),
        "declarations": _("Declarations of voluntary return"),
        "departures": _("Departures"),
    }
    how_labels = {**dict(HowHeard.choices), "": _("not recorded")}
    context = {
        "programmes": programmes,
        "programme": programme,
        "f": figures,
        "stages": [(labels[s.key], s.count) for s in figures.stages],
        "by_source": [
            (how_labels[how], [counts.get(k, 0) for k in ("inquiries", "registrations", "declarations", "departures")])
            for how, counts in figures.by_source.items()
        ],
        "groups": [
            (InfoSession._meta.get_field(name).verbose_name, n) for name, n in figures.participants_by_group.items()
        ],
        "materials": _labelled(figures.materials_by_kind, "materials"),
        "topics": _labelled(figures.calls_by_topic, "topics"),
        "meetings": _labelled(figures.meetings_by_kind, "meetings"),
    }
    return render(request, "outreach/funnel.html", context)


def _labelled(counts: dict[str, int], kind: str) -> list[tuple[str, int]]:
    choices = {
        "materials": MaterialDistribution.Kind.choices,
        "topics": HotlineCall.Topic.choices,
        "meetings": OutreachMeeting.WithWhom.choices,
    }[kind]
    return [(label, counts[value]) for value, label in choices if value in counts]


# ---------------------------------------------------------------- how a case heard of us


@require_POST
def case_source(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_user(request.user, reference=reference)
    sessions = list(selectors.sessions_for_case(case))
    calls = list(selectors.calls_for_case(case))
    form = SourceForm(request.POST, sessions=sessions, calls=calls, prefix="source")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.case_source_set(
                acting_user=request.user, case=case, how=d["how"], note=d["note"],
                session=next((s for s in sessions if s.pk == d["session"]), None),
                call=next((c for c in calls if c.pk == d["call"]), None),
            )  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved how the case heard of the programme."))
    else:
        messages.error(request, _("Nothing was saved: choose how the case heard of the programme."))
    return redirect(reverse("cases:detail", args=[case.reference]) + "#outreach-panel")
