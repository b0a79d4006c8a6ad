"""Reads of the public site: what a visitor may see (published pages, public offices) and what an editor may edit.

The public reads take no user and touch no case, inquiry or person: the site
shows only pages, offices and a mission's hotline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.appointments.models import Office, OfficeHours
from homeward.public import languages
from homeward.public.models import Page, PageTranslation

# ---------------------------------------------------------------- public


def missions_with_site() -> QuerySet[Mission]:
    """Host missions with at least one published page: a site exists once there is something to read."""
    published = Page.objects.filter(mission=OuterRef("pk"), published=True)
    return Mission.objects.filter(kind__in=[Mission.Kind.HOST, Mission.Kind.BOTH]).filter(Exists(published))


def site_mission(code: str) -> Mission:
    """The mission whose site ``code`` names; 404 for an unknown code or a mission without a site."""
    mission = missions_with_site().filter(code=code).first()
    if mission is None:
        raise Http404
    return mission


@dataclass(frozen=True)
class Shown:
    """A page as a visitor reads it: the translation in their language, or the English one (``fallback``)."""

    page: Page
    translation: PageTranslation
    fallback: bool


def _shown(page: Page, lang: str) -> Shown | None:
    by_language = {t.language: t for t in page.translations.all()}
    if lang in by_language:
        return Shown(page, by_language[lang], False)
    if languages.DEFAULT in by_language:
        return Shown(page, by_language[languages.DEFAULT], True)
    return None


def menu(mission: Mission, lang: str) -> list[Shown]:
    """The mission's published pages in menu order, each in ``lang`` or else English."""
    pages = Page.objects.filter(mission=mission, published=True).prefetch_related("translations")
    return [shown for page in pages if (shown := _shown(page, lang)) is not None]


def published_page(mission: Mission, slug: str, lang: str) -> Shown:
    """A published page of the mission in ``lang`` or else English; 404 when unpublished or unknown."""
    page = Page.objects.filter(mission=mission, slug=slug, published=True).prefetch_related("translations").first()
    shown = _shown(page, lang) if page is not None else None
    if shown is None:
        raise Http404
    return shown


def public_offices(mission: Mission) -> list[Office]:
    """The mission's active offices shown on the public site, with their opening hours."""
    return list(
        Office.objects.filter(mission=mission, public=True, active=True).prefetch_related(
            Prefetch("hours", queryset=OfficeHours.objects.order_by("weekday", "opens"))
        )
    )


# ---------------------------------------------------------------- editors


def editable_missions(user: Any) -> QuerySet[Mission]:
    return Mission.objects.filter(pk__in=permissions.mission_ids_with(user, Perm.MANAGE_SITE))


def mission_for_editor(user: Any, code: str) -> Mission:
    """A mission whose site ``user`` edits: 404 if not one of theirs, 403 if theirs but their role may not edit it."""
    mission = Mission.objects.filter(code=code, pk__in=permissions.roles_by_mission(user).keys()).first()
    if mission is None:
        raise Http404
    if not permissions.has_perm_in(user, Perm.MANAGE_SITE, mission.pk):
        raise PermissionDenied(_("Only an administrator of the mission edits its public site."))
    return mission


def pages_for_editor(mission: Mission) -> list[Page]:
    return list(Page.objects.filter(mission=mission).prefetch_related("translations"))


def page_for_editor(mission: Mission, page_id: int) -> Page:
    page = Page.objects.filter(mission=mission, pk=page_id).prefetch_related("translations").first()
    if page is None:
        raise Http404
    return page


def translation_of(page: Page, lang: str) -> PageTranslation | None:
    return next((t for t in page.translations.all() if t.language == lang), None)
