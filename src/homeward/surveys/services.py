"""Every write of surveys: loading instruments, weight tables and questionnaires; recording RSS and
satisfaction responses (by staff or imported from Kobo/ODK); the survey tasks a return opens.

The shipped instrument and questionnaires (``surveys/instruments/*.yaml``) are loaded
lazily, by ``shipped_ensure``, the first time a survey page, the API or the demo seed
needs them: no data migration to keep in step with the files, and a new shipped version
appears on first use. Loading is idempotent and refuses to change a loaded version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from homeward.accounts.roles import Role
from homeward.core.audit import about_case, acting_as, service
from homeward.core.errors import ServiceError
from homeward.surveys import policy, rules
from homeward.surveys.models import (
    Instrument,
    Questionnaire,
    Response,
    SatisfactionResponse,
    Score,
    Source,
    Status,
    WeightTable,
)
from homeward.surveys.schema import (
    LIKERT,
    InstrumentDefinition,
    QuestionnaireDefinition,
    SurveyFile,
    WeightTableDefinition,
    check_weights_fit,
)

SHIPPED_DIR = Path(__file__).parent / "instruments"
RSS = "rss"
MAX_TEXT = 2000
BASELINE_WITHIN = dt.timedelta(days=30)
SATISFACTION_WITHIN = dt.timedelta(days=14)


def _refuse(message: str, field: str | None = None) -> ServiceError:
    return ServiceError(message, {field: [message]} if field else None)


def _acting(acting_user: Any) -> AbstractContextManager[None]:
    # The command line and the lazy loading of shipped files write without a user; the audit shows the system.
    return acting_as(acting_user) if acting_user is not None else nullcontext()


# ---------------------------------------------------------------- files


def parse_text(text: str | bytes) -> Any:
    """A survey file's content (YAML, or JSON which YAML reads too); ServiceError when unreadable."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refuse(_("The file is not UTF-8 text (YAML or JSON)."), "file") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _refuse(_("The file is not valid YAML or JSON: %(error)s") % {"error": exc}, "file") from None
    except RecursionError:
        raise _refuse(_("The file is nested too deeply to be a survey file."), "file") from None


def schema_errors(error: SchemaError) -> dict[str, list[str]]:
    """Pydantic's errors keyed by their place in the file, e.g. ``instrument.dimensions[0].indicators[1]``."""
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        place = ""
        for part in item["loc"]:
            place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
        fields.setdefault(place or "__all__", []).append(item["msg"].removeprefix("Value error, "))
    return fields


@cache
def _shipped() -> tuple[SurveyFile, ...]:
    return tuple(
        SurveyFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(SHIPPED_DIR.glob("*.yaml"))
    )


def shipped_paths() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


# ---------------------------------------------------------------- loading


@dataclass
class Loaded:
    """What a survey file added (what was already there, identical, is not listed)."""

    instruments: list[Instrument] = field(default_factory=list)
    weight_tables: list[WeightTable] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"instrument {i}" for i in self.instruments]
        parts += [f"weight table {t.name!r} of {t.instrument}" for t in self.weight_tables]
        parts += [f"questionnaire {q}" for q in self.questionnaires]
        return ", ".join(parts) or "nothing new"


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True)


def survey_load(*, acting_user: Any, data: Any) -> Loaded:
    """Load a survey file: an instrument (with its weight tables), a weight table, questionnaires.

    Rules: only an administrator (``Perm.MANAGE_PROGRAMMES``), or the command line
    (``acting_user=None``); every key known and every value valid (``schema.py``); a
    weight table's indicator weights sum to 1 in each dimension and its dimension
    weights to 1, and it weighs exactly the instrument's indicators; a loaded version
    or table is never changed (loading it again identical does nothing); a table marked
    ``default`` is used for new scores from then on. All of the file or nothing.
    """
    if acting_user is not None and not policy.may_manage(acting_user):
        raise PermissionDenied(_("Only an administrator loads survey instruments and weight tables."))
    if not isinstance(data, Mapping):
        raise _refuse(_("The file is not a survey file: it holds no instrument, weight table or questionnaire."))
    try:
        parsed = SurveyFile.model_validate(data)
    except SchemaError as exc:
        raise ServiceError(_("The survey file is not valid: see the places listed."), schema_errors(exc)) from exc
    loaded = Loaded()
    with transaction.atomic(), _acting(acting_user):
        if parsed.instrument is not None:
            instrument = _load_instrument(parsed.instrument, loaded)
            for table in parsed.weight_tables:
                _load_table(instrument, table, loaded)
        if parsed.weight_table is not None:
            table = parsed.weight_table
            instrument = Instrument.objects.filter(code=table.instrument, version=table.version).first()
            if instrument is None:
                raise _refuse(
                    _("No instrument %(code)s version %(version)s is loaded: load it before its weight table.")
                    % {"code": table.instrument, "version": table.version},
                    "weight_table.instrument",
                )
            _load_table(instrument, table, loaded)
        for questionnaire in parsed.questionnaires:
            _load_questionnaire(questionnaire, loaded)
    return loaded


def _load_instrument(definition: InstrumentDefinition, loaded: Loaded) -> Instrument:
    content = _dump(definition)
    existing = Instrument.objects.filter(code=definition.code, version=definition.version).first()
    if existing is not None:
        if existing.definition != content:
            raise _refuse(
                _("Version %(version)s of %(code)s is already loaded with another content: a changed "
                  "instrument is a new version.") % {"version": definition.version, "code": definition.code},
                "instrument.version",
            )  # fmt: skip
        return existing
    instrument = Instrument.objects.create(
        code=definition.code, version=definition.version, title=definition.title, definition=content
    )
    loaded.instruments.append(instrument)
    return instrument


def _load_table(instrument: Instrument, table: WeightTableDefinition, loaded: Loaded) -> WeightTable:
    if (table.instrument, table.version) != (instrument.code, instrument.version):
        raise _refuse(
            _("This weight table is for %(code)s version %(version)s.")
            % {"code": table.instrument, "version": table.version},
            "weight_table.instrument",
        )
    misfits = check_weights_fit(instrument.parsed, table)
    if misfits:
        raise ServiceError(_("The weight table does not fit the instrument: see the places listed."), misfits)
    content = _dump(table)
    existing = WeightTable.objects.filter(instrument=instrument, name=table.name).first()
    if existing is not None:
        if existing.weights != content:
            raise _refuse(
                _("A weight table named “%(name)s” is already loaded with other weights: scores computed with "
                  "it must not change, so give the new table another name.") % {"name": table.name},
                "weight_table.name",
            )  # fmt: skip
        return existing
    if table.default:
        for previous in WeightTable.objects.filter(instrument=instrument, is_default=True):
            previous.is_default = False
            previous.save(update_fields=["is_default"])  # saved one by one, so the audit log records it
    created = WeightTable.objects.create(
        instrument=instrument, name=table.name, source=table.source, is_default=table.default, weights=content
    )
    loaded.weight_tables.append(created)
    return created


def _load_questionnaire(definition: QuestionnaireDefinition, loaded: Loaded) -> Questionnaire:
    content = _dump(definition)
    existing = Questionnaire.objects.filter(code=definition.code, version=definition.version).first()
    if existing is not None:
        if existing.definition != content:
            raise _refuse(
                _("Version %(version)s of the %(code)s questionnaire is already loaded with another content.")
                % {"version": definition.version, "code": definition.code},
                "questionnaires",
            )
        return existing
    questionnaire = Questionnaire.objects.create(
        code=definition.code, version=definition.version, title=definition.title, definition=content
    )
    loaded.questionnaires.append(questionnaire)
    return questionnaire


def shipped_ensure() -> None:
    """Load the shipped instrument and questionnaires that are not in the database yet (cheap when they are)."""
    files = _shipped()
    instruments = {(f.instrument.code, f.instrument.version) for f in files if f.instrument is not None}
    questionnaires = {(q.code, q.version) for f in files for q in f.questionnaires}
    have_i = set(Instrument.objects.values_list("code", "version"))
    have_q = set(Questionnaire.objects.values_list("code", "version"))
    if instruments <= have_i and questionnaires <= have_q:
        return
    for path in shipped_paths():
        try:
            with transaction.atomic():
                survey_load(acting_user=None, data=yaml.safe_load(path.read_text(encoding="utf-8")))
        except IntegrityError:
            pass  # another request loaded it at the same moment


def current_instrument(code: str = RSS) -> Instrument | None:
    """The newest active version of an instrument (the shipped one loaded first if need be)."""
    shipped_ensure()
    return Instrument.objects.filter(code=code, status=Status.ACTIVE).order_by("-version").first()


@service
def instrument_set_status(*, acting_user: Any, instrument: Instrument, status: str) -> Instrument:
    """Retire a version (no new response is taken with it) or bring it back. Rule: an administrator."""
    if not policy.may_manage(acting_user):
        raise PermissionDenied(_("Only an administrator retires survey instruments."))
    if status not in Status.values:
        raise _refuse(_("Choose active or retired."), "status")
    instrument.status = status
    instrument.save(update_fields=["status"])
    return instrument


# ---------------------------------------------------------------- RSS responses


def _answer_refusal(instrument: InstrumentDefinition, errors: dict[str, str]) -> ServiceError:
    messages = {
        rules.UNKNOWN: _("%(indicator)s is not an indicator of this instrument."),
        rules.NOT_AN_OPTION: _("The answer to %(indicator)s is not one of its options."),
        rules.MISSING: _("%(indicator)s is not answered (record “does not know” or “refuses” if so)."),
    }
    fields = {f"answers.{code}": [messages[problem] % {"indicator": code}] for code, problem in errors.items()}
    first, problem = next(iter(errors.items()))
    indicator = instrument.indicator(first)
    name = f"{indicator.label} ({first})" if indicator is not None else first
    message = messages[problem] % {"indicator": name}
    if len(errors) > 1:
        message += " " + _("%(count)s answers in all need correcting.") % {"count": len(errors)}
    return ServiceError(message, fields)


def default_table(instrument: Instrument) -> WeightTable:
    table = instrument.weight_tables.filter(is_default=True).first()
    if table is None:
        raise _refuse(_("%(instrument)s has no weight table for new scores: load one.") % {"instrument": instrument})
    return table


def _score(response: Response, table: WeightTable) -> Score:
    result = rules.score(response.instrument.parsed, table.parsed, response.answers)
    return Score.objects.create(
        response=response, weight_table=table, dimensions=result.dimensions, composite=result.composite,
        bands=result.bands,
    )  # fmt: skip


def check_response(
    *, acting_user: Any, case: Any, instrument: Instrument, answers: Any, taken_on: dt.date | None, kind: str
) -> dict[str, str]:
    """Every check of ``response_record`` short of writing (the Kobo preview uses it); the clean answers."""
    if not policy.may_record(acting_user, case):
        raise PermissionDenied(_("Your role may not record surveys for this case."))
    if instrument.status != Status.ACTIVE:
        raise _refuse(
            _("%(instrument)s is retired: record the response with the current version.") % {"instrument": instrument},
            "instrument",
        )
    if kind not in Response.Kind.values:
        raise _refuse(_("Choose baseline or follow-up."), "kind")
    if taken_on is None:
        raise _refuse(_("Give the date the survey was taken."), "taken_on")
    if taken_on > timezone.localdate():
        raise _refuse(_("The survey cannot be taken in the future."), "taken_on")
    if not isinstance(answers, Mapping):
        raise _refuse(_("Give one answer per indicator."), "answers")
    clean = {str(k): v for k, v in answers.items()}
    errors = rules.answer_errors(instrument.parsed, clean)
    if errors:
        raise _answer_refusal(instrument.parsed, errors)
    return clean


@service
def response_record(
    *,
    acting_user: Any,
    case: Any,
    instrument: Instrument,
    answers: Mapping[str, str],
    taken_on: dt.date | None,
    kind: str,
    source: str = Source.STAFF,
    external_id: str = "",
) -> Response:
    """Record an RSS response and score it with the instrument's default weight table.

    Rules: the origin mission's reintegration staff (``Perm.RECEIVE_RETURNEE``), or an M&E
    officer or supervisor of one of the case's missions; an active instrument version (a
    retired one is refused); every indicator answered with one of its options (“does not
    know” and “refuses” are options); taken on a day not in the future; a Kobo submission
    only once. The response and its score are written together or not at all, and the
    survey task it answers is done.
    """
    clean = check_response(
        acting_user=acting_user, case=case, instrument=instrument, answers=answers, taken_on=taken_on, kind=kind
    )
    if external_id and Response.objects.filter(external_id=external_id).exists():
        raise _refuse(_("This submission (%(id)s) was already imported.") % {"id": external_id}, "external_id")
    if source == Source.KOBO and not external_id:
        # Without its submission id a re-imported file would count the same interview twice.
        raise _refuse(_("The submission has no id (instanceID or _uuid): export it with its metadata."), "external_id")
    table = default_table(instrument)
    with about_case(case.pk):
        response = Response.objects.create(
            case=case, instrument=instrument, kind=kind, taken_on=taken_on, answers=clean, source=source,
            external_id=external_id, recorded_by=acting_user,
        )  # fmt: skip
        _score(response, table)
        _task_done(case, f"rss:{kind}", "rss_survey", acting_user)
    return response


@service
def kobo_import(*, acting_user: Any, instrument: Instrument, submissions: list[dict[str, str]]) -> list[Response]:
    """Import Kobo/ODK submissions of an RSS instrument: all of them or none.

    Rules: the user may import (``policy.may_import``); every row passes the preview's
    checks (``kobo.preview``: a known case the user may survey, a date, valid answers, not
    imported before); each is then recorded by ``response_record`` as from Kobo.
    """
    from homeward.surveys import kobo

    if not policy.may_import(acting_user):
        raise PermissionDenied(_("Your role may not import surveys."))
    rows = kobo.preview(acting_user, instrument, submissions)
    bad = {f"rows.{r.number}": r.errors for r in rows if r.errors}
    if bad:
        raise ServiceError(
            _("Nothing was imported: %(count)s of %(total)s rows have errors.")
            % {"count": len(bad), "total": len(rows)},
            bad,
        )
    return [
        response_record(acting_user=acting_user, case=r.case, instrument=instrument, answers=r.answers,
                        taken_on=r.taken_on, kind=r.kind, source=Source.KOBO, external_id=r.external_id)
        for r in rows
    ]  # fmt: skip


# ---------------------------------------------------------------- satisfaction


def _likert(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if number in LIKERT and str(number) == str(value).strip() else -1


@service
def satisfaction_record(
    *,
    acting_user: Any,
    case: Any,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    taken_on: dt.date | None,
) -> SatisfactionResponse:
    """Record a satisfaction questionnaire.

    Rules: whoever may take the RSS for the case, or a counsellor of the host mission;
    an active questionnaire version; Likert answers 1 (very dissatisfied) to 5 (very
    satisfied), the overall question always answered; open answers of at most 2,000
    characters; no question the questionnaire does not ask. Its survey task is done.
    """
    if not policy.may_record_satisfaction(acting_user, case):
        raise PermissionDenied(_("Your role may not record satisfaction surveys for this case."))
    if questionnaire.status != Status.ACTIVE:
        raise _refuse(_("This questionnaire version is retired."), "questionnaire")
    if taken_on is None or taken_on > timezone.localdate():
        raise _refuse(_("Give the date the questionnaire was answered (not in the future)."), "taken_on")
    definition = questionnaire.parsed
    asked = {q.code: q for q in definition.questions}
    fields: dict[str, list[str]] = {}
    for code in answers:
        if code not in asked:
            fields[f"answers.{code}"] = [_("The questionnaire does not ask this.")]
    clean: dict[str, Any] = {}
    for code, question in asked.items():
        value = answers.get(code)
        if question.kind == "likert":
            number = _likert(value)
            if number == -1:
                fields[f"answers.{code}"] = [_("Answer from 1 (very dissatisfied) to 5 (very satisfied).")]
            elif number is None and (question.required or question.overall):
                fields[f"answers.{code}"] = [_("This question needs an answer.")]
            elif number is not None:
                clean[code] = number
        else:
            text = str(value or "").strip()
            if len(text) > MAX_TEXT:
                fields[f"answers.{code}"] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
            elif text:
                clean[code] = text
    if fields:
        raise ServiceError(_("Some answers need correcting: see the questions marked."), fields)
    with about_case(case.pk):
        response = SatisfactionResponse.objects.create(
            case=case, questionnaire=questionnaire, taken_on=taken_on, answers=clean,
            overall=clean[definition.overall.code], recorded_by=acting_user,
        )  # fmt: skip
        _task_done(case, f"satisfaction:{questionnaire.code}", "satisfaction_survey", acting_user)
    return response


# ---------------------------------------------------------------- tasks


def _task_done(case: Any, subject_key: str, kind: str, by: Any) -> None:
    from homeward.work import services as work

    work.task_done_for(case=case, kind=kind, subject_key=subject_key, by=by)


def _origin_side(case: Any) -> tuple[Any, str, Any]:
    """The origin mission's reintegration officers; until it accepts the case, the host counsellor stands in."""
    if case.referred_to_mission_id:
        return case.referred_to_mission, Role.REINTEGRATION_OFFICER, None
    return case.host_mission, Role.COUNSELLOR, case.counsellor


def _open(case: Any, kind: str, subject_key: str, subject: str, due: dt.datetime, side: tuple[Any, str, Any]) -> None:
    from homeward.work import services as work

    mission, role, assignee = side
    work.task_open(
        case=case, kind=kind, due_at=due, mission=mission, role=role, assignee=assignee, subject=subject,
        subject_key=subject_key,
    )  # fmt: skip


def surveys_for(*, case: Any, moved_to: str) -> None:
    """Open the surveys due at this moment of the journey (called inside the move's transaction).

    On departure, the counselling satisfaction questionnaire for the host counsellor; on
    arrival, the RSS baseline (due within 30 days) and the travel satisfaction
    questionnaire for the origin mission.
    """
    from homeward.cases.models import CaseStatus
    from homeward.work.models import TaskKind

    now = timezone.now()
    if moved_to == CaseStatus.DEPARTED:
        host = (case.host_mission, Role.COUNSELLOR, case.counsellor)
        _open(case, TaskKind.SATISFACTION_SURVEY, "satisfaction:counselling", _("counselling"),
              now + SATISFACTION_WITHIN, host)  # fmt: skip
    elif moved_to == CaseStatus.ARRIVED:
        origin = _origin_side(case)
        _open(case, TaskKind.RSS_SURVEY, "rss:baseline", _("baseline"), now + BASELINE_WITHIN, origin)
        _open(case, TaskKind.SATISFACTION_SURVEY, "satisfaction:travel", _("travel"), now + SATISFACTION_WITHIN,
              origin)  # fmt: skip


def reintegration_satisfaction_due(*, plan: Any) -> None:
    """Every component of ``plan`` delivered or cancelled (one at least delivered): ask how the
    reintegration assistance went, once per case."""
    from homeward.reintegration.models import Component
    from homeward.work.models import TaskKind

    statuses = set(plan.components.values_list("status", flat=True))
    if Component.Status.DELIVERED not in statuses or statuses - {
        Component.Status.DELIVERED,
        Component.Status.CANCELLED,
    }:
        return
    case = plan.case
    if SatisfactionResponse.objects.filter(case=case, questionnaire__code="reintegration").exists():
        return
    _open(case, TaskKind.SATISFACTION_SURVEY, "satisfaction:reintegration", _("reintegration"),
          timezone.now() + SATISFACTION_WITHIN, _origin_side(case))  # fmt: skip
