"""Every write of imports: saving a mapping, keeping an upload, and importing a tracker all or nothing.

The cases themselves are registered by ``cases.services.case_register``, one
call per family, so every registration rule and the audit apply; the import
runs them all in one transaction and keeps none if any is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.cases.models import Case
from homeward.cases.services import case_register
from homeward.core.audit import service
from homeward.core.errors import ServiceError
from homeward.imports import checking, mapping, reading
from homeward.imports.checking import NoProgress, Plan, Problem, Progress
from homeward.imports.models import ImportedCase, ImportMapping, TrackerUpload
from homeward.programmes.models import Programme

# How many problems a message in words lists before "and N more".
LISTED_PROBLEMS = 50


def _require_import(user: User, mission: Mission) -> None:
    if not permissions.has_perm_in(user, Perm.REGISTER_CASE, mission.pk) or not mission.registers_cases:
        raise PermissionDenied(_("You may not import cases into %(mission)s.") % {"mission": mission.code})


@service
def mapping_save(
    *, acting_user: User, mission: Mission, name: str, columns: dict[str, str], date_order: str
) -> ImportMapping:
    """Save a column mapping under a name; the same name in the same mission replaces it.

    Rule: only someone who may register cases in the mission saves its mappings,
    and a mapping names only known fields, each at most once.
    """
    _require_import(acting_user, mission)
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["mapping_name"] = [_("Give the mapping a name.")]
    elif len(name) > ImportMapping._meta.get_field("name").max_length:
        errors["mapping_name"] = [_("At most 80 characters.")]
    chosen = {header: code for header, code in columns.items() if code}
    unknown = sorted(set(chosen.values()) - mapping.FIELD_CODES)
    repeated = sorted({c for c in chosen.values() if list(chosen.values()).count(c) > 1})
    if unknown:
        errors["columns"] = [_("Unknown field: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if repeated:
        errors["columns"] = [_("Each field can come from one column only: %(codes)s.") % {"codes": ", ".join(repeated)}]
    if date_order not in dict(mapping.DateOrder.CHOICES):
        errors["date_order"] = [_("Choose a date order from the list.")]
    if errors:
        raise ServiceError(_("The mapping could not be saved."), errors)
    saved, _created = ImportMapping.objects.update_or_create(
        mission=mission,
        name=name,
        defaults={"columns": chosen, "date_order": date_order},
        create_defaults={"columns": chosen, "date_order": date_order, "created_by": acting_user},
    )
    return saved


def _too_large(size: int) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        message = _("The file is too large: at most %(limit)s MB can be uploaded.") % {"limit": limit // (1024 * 1024)}
        raise ServiceError(message, {"file": [message]})


def uploaded_bytes(file: Any) -> bytes:
    """The content of an uploaded file, refused by its size before it is read into memory."""
    _too_large(file.size)
    return bytes(file.read())


@service
def upload_create(
    *, acting_user: User, mission: Mission, programme: Programme | None, data: bytes, file_name: str
) -> TrackerUpload:
    """Keep an uploaded tracker for mapping and import. Rule: a user who may register cases in
    the mission, a programme the mission implements, an XLSX or CSV (by content) within the size limit."""
    _require_import(acting_user, mission)
    if programme is not None and not programme.missions.filter(pk=mission.pk).exists():
        message = _("%(mission)s does not implement %(programme)s.") % {
            "mission": mission.code,
            "programme": programme.code,
        }
        raise ServiceError(message, {"programme": [_("Choose a programme of the mission.")]})
    _too_large(len(data))
    sheet = reading.read(data)  # refuses what cannot be read now, not at the import
    upload = TrackerUpload(
        owner=acting_user,
        mission=mission,
        programme=programme,
        file_name=file_name[-200:] or "tracker",
        kind=sheet.kind,
        rows=len(sheet.rows),
    )
    upload.file.save(f"{timezone.now():%Y%m%d%H%M%S}.{sheet.kind}", ContentFile(data), save=False)
    upload.save()
    return upload


def read_upload(upload: TrackerUpload) -> reading.Sheet:
    if not upload.file:
        message = _("The file was deleted %(days)s days after it was uploaded: upload it again.") % {
            "days": settings.HOMEWARD_JOB_FILE_DAYS
        }
        raise ServiceError(message, {"file": [message]})
    with upload.file.open("rb") as handle:
        return reading.read(handle.read())


class ImportRefused(ServiceError):
    """Nothing was imported: the problems, each with its row."""

    def __init__(self, problems: list[Problem], plan: Plan | None = None) -> None:
        self.problems, self.plan = problems, plan
        super().__init__(summary(problems))


def summary(problems: list[Problem]) -> str:
    """Nothing imported, in words, with the rows and why (the first ``LISTED_PROBLEMS``)."""
    errors = [p for p in problems if p.error]
    rows = len({p.row for p in errors})
    lines = [
        ngettext(
            "Nothing was imported: %(count)s problem in %(rows)s row(s). Correct the file and try again.",
            "Nothing was imported: %(count)s problems in %(rows)s row(s). Correct the file and try again.",
            len(errors),
        )
        % {"count": len(errors), "rows": rows}
    ]
    lines += [str(p) for p in errors[:LISTED_PROBLEMS]]
    if len(errors) > LISTED_PROBLEMS:
        lines.append(_("… and %(n)s more: check the file to see them all.") % {"n": len(errors) - LISTED_PROBLEMS})
    return "\n".join(lines)


@dataclass
class Outcome:
    """What a dry run or an import found and did."""

    plan: Plan
    cases: list[Case] = field(default_factory=list)
    dry_run: bool = True

    @property
    def message(self) -> str:
        if self.dry_run:
            text = _("Dry run: %(rows)s rows, %(cases)s cases with %(members)s people would be imported.") % {
                "rows": self.plan.rows, "cases": len(self.plan.cases), "members": self.plan.members,
            }  # fmt: skip
        else:
            text = _("Imported %(cases)s cases with %(members)s people from %(rows)s rows.") % {
                "rows": self.plan.rows, "cases": len(self.cases), "members": self.plan.members,
            }  # fmt: skip
        notes = [str(p) for p in self.plan.warnings[:LISTED_PROBLEMS]]
        return "\n".join([text, *notes])


def tracker_run(
    *,
    acting_user: User,
    upload: TrackerUpload,
    options: checking.Options,
    dry_run: bool,
    progress: Progress | None = None,
) -> Outcome:
    """Check a tracker and, unless a dry run, import it: all its cases or none.

    The check runs outside the transaction (its progress is visible row by row);
    the write runs inside one, so a refusal leaves nothing behind. Raises
    ``ImportRefused`` listing every problem by row.
    """
    progress = progress or NoProgress()
    _require_import(acting_user, upload.mission)
    progress.stage(_("Reading the file"))
    sheet = read_upload(upload)
    plan = checking.check(sheet, options, mission=upload.mission, user=acting_user, progress=progress)
    if plan.errors:
        raise ImportRefused(plan.problems, plan)
    if dry_run:
        return Outcome(plan)
    progress.stage(_("Registering the cases"), len(plan.cases))
    cases = tracker_import(acting_user=acting_user, upload=upload, plan=plan, progress=progress)
    return Outcome(plan, cases, dry_run=False)


@service
def tracker_import(*, acting_user: User, upload: TrackerUpload, plan: Plan, progress: Progress) -> list[Case]:
    """Register every planned case through ``case_register``, in one transaction.

    Rule: all or nothing. A case the registration refuses is listed with its rows,
    the others are still tried (so every refusal is listed at once), and then
    everything is rolled back.
    """
    # Locked and checked: a double click, or two queued jobs, must not import the same file twice.
    if TrackerUpload.objects.select_for_update().filter(pk=upload.pk, imported_at__isnull=False).exists():
        raise ServiceError(_("This file has already been imported."))
    mission, programme = upload.mission, upload.programme
    if programme is not None and not programme.missions.filter(pk=mission.pk).exists():
        raise ServiceError(
            _("%(mission)s does not implement %(programme)s.") % {"mission": mission.code, "programme": programme.code}
        )
    problems: list[Problem] = []
    created: list[tuple[Case, checking.PlannedCase]] = []
    for planned in plan.cases:
        try:
            # case_register joins this transaction in a savepoint: a refusal undoes only its own writes.
            case = case_register(
                acting_user=acting_user, host_mission=mission, data=planned.data, members=planned.members,
                status=planned.status, registered_on=planned.registered_on, programme=programme,
            )  # fmt: skip
        except (ServiceError, PermissionDenied) as exc:
            problems.extend(_refusal_problems(plan, planned, exc))
        else:
            created.append((case, planned))
        progress.advance()
    if problems:
        raise ImportRefused(problems)
    ImportedCase.objects.bulk_create(
        ImportedCase(upload=upload, case=case, reference=planned.reference, rows=_rows(planned.rows))
        for case, planned in created
    )
    upload.imported_at = timezone.now()
    upload.save(update_fields=["imported_at"])
    return [case for case, _planned in created]


def _rows(numbers: list[int]) -> str:
    return checking._Checker.rows_text(numbers)[:200]


def _refusal_problems(plan: Plan, planned: checking.PlannedCase, exc: Exception) -> list[Problem]:
    """The registration's refusal, each message at the row of the member it is about."""
    if isinstance(exc, PermissionDenied):
        return [Problem(planned.rows[0], "", str(exc))]
    problems = []
    for key, messages in exc.fields.items():  # type: ignore[attr-defined]
        parts = key.split(".")
        index = int(parts[1]) if parts[0] == "members" and len(parts) > 1 and parts[1].isdigit() else 0
        column = plan.column(parts[-1]) or (parts[-1].replace("_", " ") if parts[-1] != "__all__" else "")
        problems.extend(Problem(planned.rows[index], column, message) for message in messages)
    return problems or [Problem(planned.rows[0], "", exc.message)]  # type: ignore[attr-defined]
