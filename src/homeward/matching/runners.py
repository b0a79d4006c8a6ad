"""The batch duplicate run as a background job (registered with homeward.jobs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.errors import ServiceError
from homeward.jobs.registry import Outcome, runner
from homeward.matching.batch import KIND, likely_pairs
from homeward.matching.models import DuplicatePair

if TYPE_CHECKING:
    from homeward.jobs.models import Job
    from homeward.jobs.progress import Progress


@runner(KIND)
def run_duplicates(job: Job, progress: Progress) -> Outcome:
    """Likely duplicates involving a person of a case the owner supervises, checked again now:
    a supervisor who left a mission no longer lists its persons."""
    from homeward.cases.models import CaseMember

    owner = job.owner
    if not permissions.has_perm_anywhere(owner, Perm.ASSIGN_CASE):
        raise ServiceError(_("You no longer supervise cases in any mission."))
    scope = (
        CaseMember.objects.filter(permissions.case_scope(owner, Perm.ASSIGN_CASE, prefix="case__"))
        .values_list("person_id", flat=True)
        .distinct()
    )
    pairs = likely_pairs(person_ids=scope, progress=progress)
    progress.stage(_("Saving the pairs"), len(pairs))
    with transaction.atomic():
        DuplicatePair.objects.filter(job=job).delete()
        DuplicatePair.objects.bulk_create(
            (DuplicatePair(job=job, first_id=a, second_id=b, probability=p, levels=list(v)) for a, b, p, v in pairs),
            batch_size=1000,
        )
    count = len(pairs)
    return Outcome(
        message=ngettext("%(count)d likely duplicate pair", "%(count)d likely duplicate pairs", count)
        % {"count": count}
    )
