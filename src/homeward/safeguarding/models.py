"""Safeguarding checklist items done for a vulnerable traveller, with who, when and the evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register
from homeward.core.fields import EncryptedTextField
from homeward.core.files import case_file_path, private_storage


class ChecklistItem(models.Model):
    """One item of a checklist (``checklists.CHECKLISTS``), recorded as done for one member."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="safeguarding_items", verbose_name=_("case")
    )
    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.CASCADE, related_name="safeguarding_items", verbose_name=_("member")
    )
    vulnerability = models.CharField(_("vulnerability"), max_length=40)
    item = models.CharField(_("item"), max_length=40)
    evidence = EncryptedTextField(_("evidence"))
    evidence_file = models.FileField(
        _("evidence file"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True
    )
    evidence_content_type = models.CharField(max_length=60, blank=True)
    done_on = models.DateField(_("done on"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "vulnerability", "item"]
        verbose_name = _("safeguarding item")
        verbose_name_plural = _("safeguarding items")
        constraints = [
            models.UniqueConstraint(fields=["member", "vulnerability", "item"], name="safeguarding_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.vulnerability}/{self.item}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id, "vulnerability": self.vulnerability}


register(ChecklistItem, exclude=("id", "recorded_at", "evidence_content_type"))
