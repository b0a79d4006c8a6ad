"""Background jobs a person starts and waits for: large exports, imports, batch runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.files import private_storage


class Job(models.Model):
    """One run of a registered runner (``jobs.registry``) for the person who started it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    # What the runner needs (filters, a file name). A list search may hold a name: like the
    # job itself, only its owner ever sees it.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    # The step under way ("checking rows", "writing"), its count and its size.
    stage = models.CharField(_("stage"), max_length=120, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    # A summary when done, the reason in words when failed.
    message = models.TextField(_("message"), blank=True)
    # The input a job reads (an uploaded spreadsheet) and the output it writes (an export).
    upload = models.FileField(storage=private_storage, upload_to="jobs/in/", blank=True)
    result = models.FileField(storage=private_storage, upload_to="jobs/out/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
