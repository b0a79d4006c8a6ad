"""Tasks: work with a due date and someone to do it, mostly created by the workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.accounts.roles import Role
from homeward.core.audit import register


class TaskKind(models.TextChoices):
    """What a task asks for; the workflow's task rules (``cases/workflow.py``) create most of them."""

    COUNSEL = "counsel", _("hold a counselling session")
    SIGN_DECLARATION = "sign_declaration", _("have the declaration of voluntary return signed")
    REQUEST_TRAVEL_DOCUMENT = "request_travel_document", _("request a travel document from the embassy")
    BOOK_TRAVEL = "book_travel", _("book the itinerary")
    SAFEGUARDING = "safeguarding", _("complete the safeguarding checklist")
    PRE_DEPARTURE_CHECK = "pre_departure_check", _("pre-embarkation check (24–72 h before departure)")
    ARRANGE_ASSISTANCE = "arrange_assistance", _("arrange assistance at departure, transit and arrival")
    CONFIRM_ARRIVAL = "confirm_arrival", _("confirm arrival within 24 h of landing")
    RECONCILE_NO_SHOW = (
        "reconcile_no_show",
        _("reconcile tickets, cash and assistance of a departure that did not happen"),
    )
    ANSWER_REFERRAL = "answer_referral", _("accept or return the referral")
    FOLLOW_UP_REFERRAL = "follow_up_referral", _("follow up the referral: unanswered or returned")
    PREPARE_RECEPTION = "prepare_reception", _("prepare the reception on arrival")
    REINTEGRATION_PLAN = "reintegration_plan", _("finalise the reintegration plan within one month of arrival")
    FIRST_MONITORING_VISIT = "first_monitoring_visit", _("first monitoring visit")
    MONITORING_VISIT = "monitoring_visit", _("monitoring visit")
    RSS_SURVEY = "rss_survey", _("reintegration sustainability survey")
    SATISFACTION_SURVEY = "satisfaction_survey", _("satisfaction survey")
    READ_FEEDBACK = "read_feedback", _("read and answer the returnee's feedback")
    REVIEW_COMPLAINT = "review_complaint", _("review a complaint")
    DELIVER_REINTEGRATION = "deliver_reintegration", _("deliver the reintegration components")
    OTHER = "other", _("other")


class Task(models.Model):
    """A piece of work for one person, or for whoever holds a role in a mission."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=TaskKind.choices)
    # What the task is about within the case, e.g. the traveller a document is for.
    subject = models.CharField(_("about"), max_length=200, blank=True)
    subject_key = models.CharField(max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("mission"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["mission", "role", "status", "due_at"]),
        ]
        constraints = [
            # Entering a state twice must not pile up the same open task.
            models.UniqueConstraint(
                fields=["case", "kind", "subject_key"],
                condition=models.Q(status="open"),
                name="one_open_task_per_case_kind_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_at:%Y-%m-%d})"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id} if self.case_id else {}


register(Task, exclude=("id", "created_at", "reminded_at"))
