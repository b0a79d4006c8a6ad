"""What a job kind does: a runner registered under the kind's name.

A runner is ``run(job, progress) -> Outcome``. It runs in the worker as the
job's owner and reads only what the owner may see: scoping is checked again
when the job runs, not only when it was asked for. It raises ``ServiceError``
to fail with a message in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from homeward.jobs.models import Job
    from homeward.jobs.progress import Progress


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: a summary, and a file to download when it made one.

    ``content`` is bytes, or an open binary file positioned at its start (a big export written
    to a temporary file is copied to storage without being read into memory); it is closed after.
    """

    message: str = ""
    content: bytes | IO[bytes] | None = None
    file_name: str = ""
    content_type: str = ""


Runner = Callable[["Job", "Progress"], Outcome]
RUNNERS: dict[str, Runner] = {}
# Who may still fetch a finished job's file: its owner, if this still holds (access can be lost
# between the run and the download). A kind without a check: its owner, always.
MAY_DOWNLOAD: dict[str, Callable[[Any], bool]] = {}


def runner(kind: str, *, may_download: Callable[[Any], bool] | None = None) -> Callable[[Runner], Runner]:
    """Register ``func`` as the runner of jobs of ``kind`` (e.g. ``"exports.cases"``)."""

    def register(func: Runner) -> Runner:
        if kind in RUNNERS and RUNNERS[kind] is not func:
            raise ValueError(f"Two runners for job kind {kind!r}")
        RUNNERS[kind] = func
        if may_download is not None:
            MAY_DOWNLOAD[kind] = may_download
        return func

    return register
