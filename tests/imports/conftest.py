"""Trackers built in the tests (openpyxl and CSV text) and a way to check or import one as a persona."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest

from homeward.accounts.models import Mission, User
from homeward.imports import checking, services
from homeward.imports.mapping import guess
from homeward.imports.models import TrackerUpload

HEADER = ["Case no", "Family", "Relationship", "First name", "Last name", "Sex", "Date of birth", "Nationality",
          "Destination", "City", "Phone", "Passport no", "Vulnerabilities", "Registration date"]  # fmt: skip

# Two families and one person alone, as a mission's tracker holds them.
GOOD_ROWS: list[list[Any]] = [
    ["T-1", "F1", "PA", "Imran", "Qureshi", "M", "14/03/1985", "Pakistan", "PK", "Lahore", "+92 300 1234567",
     "AB1234567", "", "15/01/2024"],
    ["T-1", "F1", "wife", "Ayesha", "Qureshi", "F", "1988", "PK", "", "", "", "", "pregnant", ""],
    ["T-1", "F1", "son", "Ali", "Qureshi", "M", "06/2015", "PAK", "", "", "", "", "disability, health needs", ""],
    ["T-2", "F2", "principal", "Aminata", "Diallo", "F", "1990-07-21", "Senegal", "", "Dakar", "", "", "", ""],
    ["T-2", "F2", "daughter", "Fatou", "Diallo", "F", "23.4.2019", "SN", "", "", "", "", "", ""],
    ["T-3", "", "", "Giorgi", "Beridze", "M", "ca. 1979", "Georgia", "GE", "Tbilisi", "", "", "", ""],
]  # fmt: skip


def xlsx(
    rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, *, before: Sequence[Sequence[Any]] = ()
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*before, header, *rows]:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, *, delimiter: str = ",",
              encoding: str = "utf-8") -> bytes:  # fmt: skip
    lines = [delimiter.join(str(v) for v in row) for row in [header, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(
    user: User, mission: Mission, data: bytes, *, programme: Any = None, name: str = "tracker.xlsx"
) -> TrackerUpload:
    return services.upload_create(acting_user=user, mission=mission, programme=programme, data=data, file_name=name)


def run(user: User, up: TrackerUpload, *, dry_run: bool = False, columns: dict[str, str] | None = None,
        **options: Any) -> services.Outcome:  # fmt: skip
    sheet = services.read_upload(up)
    chosen = columns if columns is not None else guess(sheet.headers)
    return services.tracker_run(
        acting_user=user, upload=up, options=checking.Options(chosen, **options), dry_run=dry_run
    )


def refusal(user: User, up: TrackerUpload, **kwargs: Any) -> list[str]:
    """The problems of a refused check, as the person reads them."""
    with pytest.raises(services.ImportRefused) as caught:
        run(user, up, dry_run=True, **kwargs)
    return [str(p) for p in caught.value.problems if p.error]
