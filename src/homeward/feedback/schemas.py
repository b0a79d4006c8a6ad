"""Feedback API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["AnswerIn", "ErrorOut", "FeedbackLinkOut", "FeedbackOut", "PhoneFeedbackIn"]


class PhoneFeedbackIn(Schema):
    text: str = ""
    rating: int | None = None  # 1 to 5
    is_complaint: bool = False
    contact_ok: bool = False
    contact: str = ""
    language: str = ""  # ISO 639 code of the call
    received_at: dt.datetime | None = None  # null: now


class AnswerIn(Schema):
    note: str


class FeedbackOut(Schema):
    id: int
    case_id: int
    channel: str
    language: str
    rating: int | None
    text: str
    is_complaint: bool
    contact_ok: bool
    contact: str
    received_at: dt.datetime
    logged_by: str | None
    status: str
    answered_by: str | None
    answered_at: dt.datetime | None
    answer_note: str


class FeedbackLinkOut(Schema):
    code: str  # as printed, e.g. ABCD-2345
    url: str  # the public form, with the returnee's language
    code_url: str  # where the code is typed
    created_at: dt.datetime
