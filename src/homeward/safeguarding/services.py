"""Every write of the safeguarding checklist: an item recorded as done, or removed when recorded by mistake.

A case with a vulnerability cannot be booked or depart until its checklist
is complete (``workflow.safeguarding_complete``). Each item is recorded with
who, when and the evidence; an item inherits the sensitivity of the
vulnerability it is for, and only users who may see that sensitivity record
or remove it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember
from homeward.core import files
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.safeguarding import selectors
from homeward.safeguarding.checklists import ITEMS
from homeward.safeguarding.models import ChecklistItem
from homeward.work import services as work
from homeward.work.models import TaskKind


def can_record(user: User, case: Case) -> bool:
    """Counsellors and movement officers of the host mission record items (of what they may see)."""
    return permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id) or permissions.has_perm_in(
        user, Perm.ARRANGE_TRAVEL, case.host_mission_id
    )


def can_remove(user: User, case: Case) -> bool:
    return permissions.has_perm_in(user, Perm.SUPERVISE, case.host_mission_id)


def _require_sees(user: User, case: Case, vulnerability: str) -> None:
    # Refused the same way whether or not the member has the vulnerability: the refusal tells nothing.
    if selectors.sensitivity_of(vulnerability) not in permissions.visible_sensitivities(user, case):
        raise PermissionDenied(_("You may not record safeguarding items of this kind."))


def _require_before_departure(case: Case) -> None:
    if case.status not in workflow.BEFORE_DEPARTURE:
        raise ServiceError(
            _("The safeguarding checklist is kept before departure; this case is %(status)s.")
            % {"status": case.get_status_display()}
        )


@service
def item_record(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember,
    vulnerability: str,
    item: str,
    done_on: dt.date,
    evidence: str,
    evidence_file: Any = None,
) -> ChecklistItem:
    """Record a checklist item as done for a member.

    Rules: a counsellor or movement officer of the host mission records it,
    only for a vulnerability of a sensitivity they may see; the item must be
    one the member's vulnerability calls for, not already recorded; done on a
    day not in the future, with the evidence described (a file is optional,
    PDF, JPEG or PNG). Completing the checklist closes the case's
    "complete the safeguarding checklist" task.
    """
    if not can_record(acting_user, case):
        raise PermissionDenied(_("Only a counsellor or a movement officer of the host mission records these items."))
    _require_sees(acting_user, case, vulnerability)
    _require_before_departure(case)
    errors: dict[str, list[str]] = {}
    if member.case_id != case.pk:
        errors["member"] = [_("Choose a member of this case.")]
    else:
        required = {(r.member.pk, r.vulnerability, r.item): r for r in selectors.checklist(case)}
        found = required.get((member.pk, vulnerability, item))
        if found is None:
            errors["item"] = [
                _("%(item)s is not on the checklist of %(name)s.")
                % {"item": ITEMS.get(item, item), "name": member.person.full_name}
            ]
        elif found.done is not None:
            errors["item"] = [
                _("%(item)s is already recorded for %(name)s.")
                % {"item": ITEMS.get(item, item), "name": member.person.full_name}
            ]
    if done_on is None:
        errors["done_on"] = [_("Give the date it was done.")]
    elif done_on > timezone.localdate():
        errors["done_on"] = [_("The date cannot be in the future.")]
    evidence = (evidence or "").strip()
    if not evidence:
        errors["evidence"] = [_("Describe the evidence: what was done, by whom, and where it is kept.")]
    content_type = ""
    if evidence_file:
        try:
            content_type = files.check_upload(evidence_file, field="evidence_file")
        except ServiceError as error:
            errors.update(error.fields)
    if errors:
        raise ServiceError(_("The item was not recorded: check the fields marked."), errors)
    record = ChecklistItem(
        case=case,
        member=member,
        vulnerability=vulnerability,
        item=item,
        evidence=evidence,
        evidence_content_type=content_type,
        done_on=done_on,
        done_by=acting_user,
    )
    with about_case(case.pk):
        if evidence_file:
            record.evidence_file.save(files.stored_name("evidence", content_type), evidence_file, save=False)
        record.save()
        if not selectors.missing_items(case):
            work.task_done_for(case=case, kind=TaskKind.SAFEGUARDING, by=acting_user)
    return record


@service
def item_remove(*, acting_user: User, item: ChecklistItem) -> None:
    """Remove an item recorded by mistake.

    Rules: a case supervisor of the host mission removes it, before departure.
    The checklist is then incomplete again, so the safeguarding task is
    reopened while the case is being prepared for travel.
    """
    case = item.case
    if not can_remove(acting_user, case):
        raise PermissionDenied(_("Only a case supervisor of the host mission can remove a safeguarding item."))
    _require_sees(acting_user, case, item.vulnerability)
    _require_before_departure(case)
    stored = item.evidence_file.name if item.evidence_file else ""
    storage = item.evidence_file.storage
    with about_case(case.pk):
        item.delete()
        _reopen_task(case)
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _reopen_task(case: Case) -> None:
    rule = next(r for r in workflow.TASK_RULES if r.kind == TaskKind.SAFEGUARDING)
    if rule.open_in is None or case.status not in rule.open_in or not selectors.missing_items(case):
        return
    work.task_open(
        case=case,
        kind=rule.kind,
        due_at=rule.due(case),
        mission=case.host_mission,
        role=rule.role,
        assignee=case.counsellor if rule.to_counsellor else None,
    )
