"""The duplicate check while a counsellor types a person's details.

The member fieldset of the registration and member forms posts itself here (HTMX, a short pause
after typing) and shows what comes back: earlier records this person probably is, with the
reasons, as the counsellor may see them. Without JavaScript the same panel is rendered when the
form is shown again (``matches_for_form``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.matching import profile, selectors
from homeward.people.inputs import NAME_LENGTH, birth_date_from_parts, normalise_phone

# Fields a check reads, as the person form names them.
NAME_FIELDS = ("given_names", "family_name", "given_names_original", "family_name_original")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _phone(raw: str, region: str | None) -> str:
    """The number as stored (E.164), so a phone typed with spaces or locally still matches; "" if it is none."""
    if not raw:
        return ""
    try:
        return normalise_phone(raw, region)
    except ValueError:
        return ""


def profile_from_form(
    data: QueryDict | dict[str, Any], prefix: str = "", region: str | None = None
) -> tuple[profile.Profile | None, str]:
    """A profile of what is typed so far, or None with the reason it cannot be compared yet."""

    def get(name: str) -> str:
        # Never more than a person's record may hold: a name of thousands of words is no name.
        return str(data.get(f"{prefix}-{name}" if prefix else name, "") or "").strip()[:NAME_LENGTH]

    names = {f: get(f) for f in NAME_FIELDS}
    note = ""
    try:
        born = birth_date_from_parts(
            _int(get("birth_year")), _int(get("birth_month")), _int(get("birth_day")), bool(get("birth_estimated"))
        )
    except ValidationError:
        born = None
    if born is not None and born.value > timezone.localdate():
        born, note = None, _("The date of birth is in the future: it was left out of the comparison.")
    typed = profile.of_values(
        given=names["given_names"], family=names["family_name"], given_original=names["given_names_original"],
        family_original=names["family_name_original"], sex=get("sex"), birth_date=born.value if born else None,
        birth_precision=born.precision if born else "", nationality=get("nationality"),
        place_of_birth=get("place_of_birth"), phone=_phone(get("phone"), region),
        documents=[get("document_number")] if get("document_number") else [],
    )  # fmt: skip
    if not typed.comparable and not typed.phone and not typed.documents:
        if not any(names.values()):
            return None, ""
        if any(len(v) >= 2 for v in names.values()):
            return None, _("This name cannot be compared: it has no letters we can read in Latin script. "
                           "Type its Latin spelling too.")  # fmt: skip
        return None, _("Type at least two letters of a name to look for earlier records.")
    return typed, note


def matches_for_form(user: Any, data: QueryDict | dict[str, Any], prefix: str = "", exclude: int | None = None):
    """The panel's context: the matches as ``user`` may see them, and a note when it cannot compare."""
    missions = Mission.objects.filter(pk__in=permissions.mission_ids_with(user, Perm.REGISTER_CASE))
    region = next((m.country.code for m in missions.order_by("code")), None)
    typed, note = profile_from_form(data, prefix, region)
    if typed is None:
        return {"views": [], "note": note, "checked": bool(note)}
    # Editing a person: neither the record itself nor those a supervisor said are someone else.
    skip = {exclude, *selectors.not_same_as(exclude)} if exclude else set()
    matches = selectors.find(typed, exclude=skip)
    return {"views": selectors.for_user(user, matches), "note": note, "checked": True}


@require_POST
def check(request: HttpRequest) -> HttpResponse:
    if not permissions.has_perm_anywhere(request.user, Perm.REGISTER_CASE):
        raise PermissionDenied(_("Your role does not register cases."))
    prefix = request.POST.get("match_prefix", "")
    exclude = _int(request.POST.get("match_exclude"))
    context = matches_for_form(request.user, request.POST, prefix, exclude)
    return render(request, "matching/_live.html", context)
