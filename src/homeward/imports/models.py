"""Importing a mission's spreadsheet tracker: saved column mappings, uploads, and what each import created."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.core.files import private_storage
from homeward.imports.mapping import DateOrder


class ImportMapping(models.Model):
    """Which column of a mission's tracker holds which field, saved under a name for the next import."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=80)
    # {column header: field code} (imports.mapping.FIELDS); columns left out are not listed.
    columns = models.JSONField(_("columns"), default=dict)
    date_order = models.CharField(_("date order"), max_length=4, choices=DateOrder.CHOICES, default=DateOrder.AUTO)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["mission", "name"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="mapping_name_once_per_mission")]

    def __str__(self) -> str:
        return f"{self.name} ({self.mission_id})"


class TrackerUpload(models.Model):
    """A tracker uploaded for import into a mission, kept between mapping its columns and importing it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+", verbose_name=_("mission"))
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("programme"),
    )  # fmt: skip
    file = models.FileField(storage=private_storage, upload_to="imports/")
    file_name = models.CharField(_("file"), max_length=200)
    kind = models.CharField(max_length=4)  # xlsx or csv, sniffed
    rows = models.PositiveIntegerField(_("rows"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tracker upload")
        verbose_name_plural = _("tracker uploads")

    def __str__(self) -> str:
        return self.file_name


class ImportedCase(models.Model):
    """A case created by an import, with the tracker's own reference and the rows it came from."""

    upload = models.ForeignKey(TrackerUpload, on_delete=models.CASCADE, related_name="cases")
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(_("reference in the tracker"), max_length=80, blank=True)
    rows = models.CharField(_("rows"), max_length=200)

    class Meta:
        ordering = ["upload", "pk"]
        indexes = [models.Index(fields=["reference"])]

    def __str__(self) -> str:
        return f"{self.reference or self.rows} → {self.case_id}"


register(ImportMapping, exclude=("id", "created_at", "updated_at"))
register(TrackerUpload, exclude=("id", "created_at"))
# ImportedCase is written in bulk and holds no personal data: the cases it points to are audited as registered.
