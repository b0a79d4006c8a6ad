"""Travel documents asked of embassies and consulates, and what they did."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.cases.models import Case, CaseMember
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.partners.models import Partner
from homeward.travel import selectors
from homeward.travel.models import TravelDocumentRequest
from homeward.travel.services.common import name_of, refuse, require_before_departure, require_travel
from homeward.work import services as work
from homeward.work.models import TaskKind

Doc = TravelDocumentRequest


def _embassy_errors(case: Case, embassy: Partner) -> dict[str, list[str]]:
    """A document is asked of an active embassy or consulate in the directory of the case's host mission."""
    if embassy.mission_id != case.host_mission_id:
        message = _("%(name)s is a partner of another mission: choose one of %(mission)s.")
    elif embassy.kind not in Partner.ISSUERS:
        message = _("%(name)s is not an embassy or consulate: travel documents are asked of those.")
    elif not embassy.active:
        message = _("%(name)s is no longer active in the partners directory.")
    else:
        return {}
    return {"embassy": [message % {"name": embassy.name, "mission": case.host_mission.code}]}


@service
def travel_document_request(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember | None,
    kind: str,
    embassy: Partner | None,
    requested_on: dt.date | None,
    expected_on: dt.date | None = None,
    note: str = "",
) -> TravelDocumentRequest:
    """Ask an embassy or consulate for a traveller's document.

    Rule: for a member of this case, one open request of a kind at a time; the
    embassy is an active embassy or consulate of the case's host mission's partners
    directory, and ``authority`` keeps its name (the history of requests made before the
    directory existed has only that name); the workflow's task to request a document
    for that traveller is then done.
    """
    require_travel(acting_user, case)
    require_before_departure(case)
    errors: dict[str, list[str]] = {}
    if member is None or member.case_id != case.pk:
        who = name_of(member) if member is not None else _("This person")
        errors["member"] = [_("%(name)s is not in this case.") % {"name": who}]
    if kind not in Doc.Kind.values:
        errors["kind"] = [_("Choose a kind of document from the list.")]
    authority = ""
    if embassy is None:
        errors["embassy"] = [_("Choose the embassy or consulate from the partners directory.")]
    else:
        errors.update(_embassy_errors(case, embassy))
        # The directory allows longer names than the history column.
        authority = embassy.name[: Doc._meta.get_field("authority").max_length]
    if requested_on is None:
        errors["requested_on"] = [_("Give the date of the request.")]
    elif requested_on > timezone.localdate():
        errors["requested_on"] = [_("The request date is in the future.")]
    if expected_on and requested_on and expected_on < requested_on:
        errors["expected_on"] = [_("The document is expected before it was requested.")]
    refuse(_("The request could not be saved: check the fields marked."), errors)
    assert member is not None  # for the type checker: refused above  # noqa: S101
    pending = Doc.objects.filter(member=member, kind=kind, status=Doc.Status.REQUESTED).first()
    if pending is not None:
        message = _("A %(kind)s is already requested for %(name)s (on %(date)s).") % {
            "kind": pending.get_kind_display(),
            "name": name_of(member),
            "date": pending.requested_on.isoformat(),
        }
        raise ServiceError(message, {"kind": [message]})
    with about_case(case.pk):
        request = Doc.objects.create(
            case=case,
            member=member,
            kind=kind,
            embassy=embassy,
            authority=authority,
            requested_on=requested_on,
            expected_on=expected_on,
            note=(note or "").strip(),
            created_by=acting_user,
        )
    work.task_done_for(
        case=case,
        kind=TaskKind.REQUEST_TRAVEL_DOCUMENT,
        subject_key=f"member:{member.pk}",
        by=acting_user,
        outcome=_("%(kind)s requested from %(authority)s")
        % {"kind": request.get_kind_display(), "authority": authority},
    )
    return request


@service
def travel_document_update(
    *,
    acting_user: User,
    request: TravelDocumentRequest,
    status: str,
    issued_on: dt.date | None = None,
    number: str = "",
    expires_on: dt.date | None = None,
    note: str = "",
) -> TravelDocumentRequest:
    """Record what the embassy did. Rule: an issued document has a date and a number, expires
    after it was issued and not before a confirmed journey ends; a refusal or cancellation says why."""
    case = request.case
    require_travel(acting_user, case)
    number, note = (number or "").strip(), (note or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in Doc.Status.values:
        errors["status"] = [_("Choose a status from the list.")]
    if status == Doc.Status.ISSUED:
        if issued_on is None:
            errors["issued_on"] = [_("Give the date the document was issued.")]
        elif issued_on > timezone.localdate():
            errors["issued_on"] = [_("The issue date is in the future.")]
        elif issued_on < request.requested_on:
            errors["issued_on"] = [_("The document was issued before it was requested.")]
        if not number:
            errors["number"] = [_("Give the document number.")]
        if expires_on and issued_on and expires_on <= issued_on:
            errors["expires_on"] = [_("The document expires on or before the day it was issued.")]
    if status in {Doc.Status.REFUSED, Doc.Status.CANCELLED} and not note:
        errors["note"] = [_("Say why the document was refused or the request cancelled.")]
    refuse(_("The travel document could not be saved: check the fields marked."), errors)
    if status == Doc.Status.ISSUED and expires_on:
        ends = selectors.journey_end(case)
        if ends and expires_on < ends:
            message = _(
                "This document expires on %(expires)s, before the journey ends on %(date)s: "
                "it would not be valid for the travel booked."
            ) % {"expires": expires_on.isoformat(), "date": ends.isoformat()}
            raise ServiceError(message, {"expires_on": [message]})
    values = {"status": status, "issued_on": issued_on, "number": number, "expires_on": expires_on, "note": note}
    changed = [name for name, value in values.items() if getattr(request, name) != value]
    for name in changed:
        setattr(request, name, values[name])
    if changed:
        with about_case(case.pk):
            request.save(update_fields=[*changed, "updated_at"])
    return request
