"""The workflow drawn from ``cases/workflow.py``, so the docs can never drift from the code."""

from __future__ import annotations

from django.utils import translation

from homeward.cases import workflow
from homeward.cases.models import CaseStatus
from homeward.work.models import TaskKind

_PERMS = {
    "change_case": "caseworker",
    "counsel": "counsellor",
    "arrange_travel": "movement officer",
    "receive_returnee": "origin mission",
    "supervise": "supervisor",
}


def _who(step: workflow.Step) -> str:
    return " / ".join(dict.fromkeys(_PERMS[str(perm)] for perm, _side in step.actors))


def mermaid() -> str:
    """A Mermaid state diagram: one arrow per move, labelled with who makes it and its guards."""
    with translation.override("en"):
        lines = ["stateDiagram-v2", "    [*] --> inquiry"]
        for status, label in CaseStatus.choices:
            lines.append(f"    {status}: {label}")
        for step in workflow.STEPS:
            guards = "; ".join(g.label for g in step.guards)  # type: ignore[attr-defined]
            note = " (with a reason)" if step.note_required else ""
            text = f"{_who(step)}{note}" + (f" — needs {guards}" if guards else "")
            lines += [f"    {source} --> {step.target}: {text}" for source in sorted(step.sources)]
        lines += [f"    {exit_} --> reopened: supervisor, with a reason" for exit_ in sorted(workflow.EXITS)]
        lines.append("    reopened: reopened where it was before")
        lines.append("    closed --> [*]")
    return "\n".join(lines)


def task_table() -> str:
    with translation.override("en"):
        rows = ["| entering | opens | due | for | stays open while the case is |", "|---|---|---|---|---|"]
        for rule in workflow.TASK_RULES:
            kind = dict(TaskKind.choices)[rule.kind]
            until = ", ".join(sorted(rule.open_in)) if rule.open_in else "until the work is recorded"
            side = "origin mission" if rule.side == workflow.ORIGIN else "host mission"
            who = "the case's counsellor" if rule.to_counsellor else f"{rule.role.replace('_', ' ')}s of the {side}"
            per = " (one per traveller)" if rule.per_traveller else ""
            rows.append(f"| {rule.on} | {kind}{per} | {rule.due.label} | {who} | {until} |")
    return "\n".join(rows)


def document() -> str:
    return f"""# The case workflow

Generated from `src/homeward/cases/workflow.py` by `homeward workflow_diagram > docs/workflow.md`;
a test fails when this file and the code disagree. Each arrow says who makes the move and what
must be true first; a refused move names every guard that failed.

```mermaid
{mermaid()}
```

## Tasks the moves open

{task_table()}

Leaving a state closes its tasks as done; a way out (withdrawn, not eligible, no-show, lost contact,
cancelled, closed) cancels them, except the reconciliation of a departure that did not happen.
"""
