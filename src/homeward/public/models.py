"""Pages of a host mission's public site, edited by its administrators, with one translation per language."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register

BODY_MAX = 20_000
# Paths of the site that a page's slug may not take.
RESERVED_SLUGS = frozenset({"contact", "apply"})


class Page(models.Model):
    """One page of a mission's public site (what AVRR is, who can apply, …); its text is in its translations."""

    class Kind(models.TextChoices):
        ABOUT = "about", _("about assisted voluntary return")
        ELIGIBILITY = "eligibility", _("who can apply")
        ASSISTANCE = "assistance", _("assistance offered")
        HOW_TO_APPLY = "how_to_apply", _("how to apply")
        STORIES = "stories", _("stories of returnees")
        OTHER = "other", _("other")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+", verbose_name=_("mission"))
    slug = models.CharField(
        _("address"), max_length=60,
        validators=[RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", _("Use small letters, digits and dashes, e.g. who-can-apply."))],
        help_text=_("The last part of the page's web address, e.g. who-can-apply."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    position = models.PositiveSmallIntegerField(_("position in the menu"), default=0)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["mission", "position", "pk"]
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")
        constraints = [models.UniqueConstraint(fields=["mission", "slug"], name="public_page_slug_per_mission")]

    def __str__(self) -> str:
        return self.slug


class PageTranslation(models.Model):
    """A page's title and body (Markdown) in one language."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="translations", verbose_name=_("page"))
    # One of settings.HOMEWARD_PUBLIC_LANGUAGES (checked by the service: a setting is no migration).
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=BODY_MAX, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["page", "language"]
        verbose_name = _("page translation")
        verbose_name_plural = _("page translations")
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="public_one_translation_per_language")]

    def __str__(self) -> str:
        return f"{self.page.slug} [{self.language}]"


register(Page)
register(PageTranslation, exclude=("id", "updated_at"))
