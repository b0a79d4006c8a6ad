"""Helpers for the work tests: tasks opened the way the workflow opens them, signed-in clients."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.work import services
from homeward.work.models import Task


def open_task(
    case: Case,
    *,
    kind: str = "book_travel",
    role: str = Role.MOVEMENT_OFFICER,
    mission: Mission | None = None,
    assignee: User | None = None,
    due_in: dt.timedelta = dt.timedelta(days=3),
    subject_key: str = "",
) -> Task:
    """A task as the workflow opens it (``work.services.task_open``)."""
    return services.task_open(
        case=case,
        kind=kind,
        due_at=timezone.now() + due_in,
        mission=mission or case.host_mission,
        role=role,
        assignee=assignee,
        subject_key=subject_key,
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_email(user: User, address: str, language: str = "") -> User:
    User.objects.filter(pk=user.pk).update(email=address, language=language)
    user.refresh_from_db()
    return user
