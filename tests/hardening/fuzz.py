"""schemathesis against our OpenAPI document, in-process (WSGI), as a signed-in supervisor.

Shared by the suite's bounded test (tests/hardening/test_schemathesis.py) and the longer run
(``make fuzz``, bench/fuzz_api.py). Every operation gets generated requests; each answer must not
be a server error, must have a status the operation declares and a body that matches its schema.
Failures are collected per operation (the first of each), not stopped at.
"""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SCHEMA_PATH = "/api/v1/openapi.json"


@dataclass
class Summary:
    operations: int = 0
    requests: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"{self.operations} operations, {self.requests} requests in {self.seconds:.1f} s",
            "statuses: " + ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items())),
            f"{len(self.failures)} operations failed",
        ]
        out += [f"  {name}: {message}" for name, message in sorted(self.failures.items())]
        return out


def run(token: str, *, examples: int, only: str | None = None) -> Summary:
    """Send ``examples`` generated requests (at most) to every operation, with ``token``."""
    # In-process requests share the caller's connection (and its test transaction), as Django's test
    # client does: the handler must not close it at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _run(token, examples=examples, only=only)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(token: str, *, examples: int, only: str | None) -> Summary:
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler())
    headers = {"Authorization": f"Bearer {token}"}
    ids, references = _real_keys()
    summary = Summary()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        name = f"{operation.method.upper()} {operation.path}"
        if only and only not in name:
            continue
        summary.operations += 1
        # Valid requests, and invalid ones (wrong types, missing fields, values out of range): both must
        # get a declared answer, never a 500.
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
        )

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        @given(case=cases, data=st.data())
        def check(case: Any, data: Any) -> None:
            _aim_at_real_objects(case, data, ids, references)
            response = case.call(headers=headers)
            summary.requests += 1
            summary.statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:
            summary.failures[name] = " ".join(str(exc).split())[:400]
    summary.seconds = time.monotonic() - started
    return summary


def _real_keys() -> tuple[list[int], list[str]]:
    """Primary keys and case references that exist: random ones would almost only ever get 404."""
    ids: set[int] = set()
    for model in apps.get_models():
        if model._meta.app_label.startswith(("homeward", "accounts")) or model.__module__.startswith("homeward."):
            ids.update(pk for pk in model.objects.values_list("pk", flat=True)[:5] if isinstance(pk, int))
    case_model = apps.get_model("cases", "Case")
    return sorted(ids), list(case_model.objects.values_list("reference", flat=True)[:5])


def _aim_at_real_objects(case: Any, data: Any, ids: list[int], references: list[str]) -> None:
    """Half the time, a path parameter names an object that exists."""
    for name, value in list((case.path_parameters or {}).items()):
        if isinstance(value, int) and ids and data.draw(st.booleans()):
            case.path_parameters[name] = data.draw(st.sampled_from(ids))
        elif isinstance(value, str) and name in ("case", "reference") and references and data.draw(st.booleans()):
            case.path_parameters[name] = data.draw(st.sampled_from(references))
