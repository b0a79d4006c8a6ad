"""The permission matrix: every URL pattern and every API operation, for every role, in its own
mission and in another, and for someone not signed in, against the table in ``matrix.py``.

A pattern or operation that is not in the table fails the test: a new endpoint cannot ship
unchecked. The world (``world.py``) is built once; every request runs in a savepoint that is
rolled back, so a write an allowed role makes does not change what the next request sees.

What is sampled (everything else is asked): a page naming nothing of a mission is asked once per
role (its "other mission" answer is the same request); for the expensive answers in
``matrix.RENDER_ONCE`` (PDFs, spreadsheets, the OpenAPI document) only the first allowed role is
asked, the other allowed ones are shown as "ok, sampled"; every role that should be refused, and
every other-mission request, is always asked. API bodies are built from the schema and the world
(``BODY_FIELDS``: a real member, the caller's mission or another) so that the permission check,
not the body's validation, decides.

``HOMEWARD_MATRIX_RECORD=path.json`` writes what each request got instead of checking it
(for reviewing the table after a change; what is right is still decided by hand).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.accounts.models import Mission
from homeward.accounts.roles import Role
from homeward.api import api
from tests.factories import UserFactory
from tests.permissions import matrix
from tests.permissions.world import BODY_EXTRA, BODY_FIELDS, QUERY, World, body_for, build, fill, query

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
WHO = [(role.value, side) for side in ("own", "other") for role in Role] + [(ANONYMOUS, "own")]
API_PREFIX = "/api/v1"
SAMPLED = "ok, sampled"


def _sample(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> Any:
    """The smallest value of the right shape for a JSON schema: required fields only.

    django-ninja validates a body before the view runs, so an empty body would meet a 422 for
    everyone and hide the permission check; a body of the right shape reaches it.
    """
    if "$ref" in spec:
        spec = schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in spec:
            options = [o for o in spec[key] if o.get("type") != "null"] or spec[key]
            return _sample(schema, options[0], depth + 1)
    if "enum" in spec:
        return spec["enum"][0]
    if "default" in spec:
        return spec["default"]
    kind = spec.get("type")
    if kind == "object" or "properties" in spec:
        props = spec.get("properties", {})
        return {name: _sample(schema, props[name], depth + 1) for name in spec.get("required", []) if depth < 6}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = spec.get("format", "")
    return {
        "date": "2026-01-15",
        "date-time": "2026-01-15T10:00:00Z",
        "time": "10:00:00",
        "email": "a@example.org",
    }.get(fmt, "x")


# The smallest files the upload checks take (they sniff the content, not the name).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4a00000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _multipart(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """A form of the right shape for a multipart operation: every field (not only the required), one file each."""
    if "$ref" in spec:
        spec = schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[-1]]
    out: dict[str, Any] = {}
    for name, prop in spec.get("properties", {}).items():
        if prop.get("format") == "binary" or prop.get("items", {}).get("format") == "binary":
            out[name] = ("binary", "photo" in name)  # made into a file per request (a file is read once)
        elif prop.get("type") == "array":
            out[name] = [_sample(schema, prop.get("items", {}))]
        elif name not in spec.get("required", []) and "default" in prop:
            continue
        else:
            value = _sample(schema, prop)
            out[name] = str(value).lower() if isinstance(value, bool) else value
    return out


def _files(form: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = {}
    for name, value in form.items():
        if isinstance(value, tuple) and value and value[0] == "binary":
            image = value[1]
            out[name] = SimpleUploadedFile(
                "matrix.png" if image else "matrix.pdf",
                PNG if image else PDF,
                "image/png" if image else "application/pdf",
            )
        else:
            out[name] = value
    return out


@dataclass(frozen=True)
class Endpoint:
    key: str  # the table's key: "ns:url_name", or "METHOD /api/path" for an operation
    route: str  # the pattern, for messages
    kwargs: tuple[str, ...]
    api: bool
    method: str = "GET"
    body: str = "{}"
    form: tuple[tuple[str, Any], ...] | None = None  # a multipart operation's fields, instead of ``body``


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str, URLPattern]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            found += _walk(p, prefix + str(p.pattern), ns)
        else:
            found.append((prefix + str(p.pattern), f"{namespace}:{p.name}".strip(":"), p))
    return found


def pages() -> tuple[list[Endpoint], list[str]]:
    """Every URL pattern outside the API's operations, and the ones left out (with why)."""
    out, left_out = [], []
    for route, name, pattern in _walk(get_resolver()):
        if name.startswith(matrix.EXCLUDED_NAMESPACES) or route.startswith(matrix.EXCLUDED_PREFIXES):
            left_out.append(name)
            continue
        if name.startswith("api:") and name not in matrix.API_PAGES:
            continue  # an operation of the API: checked below, from its schema, one per method
        out.append(Endpoint(name, route, tuple(pattern.pattern.converters), api=False))
    return out, left_out


def operations() -> list[Endpoint]:
    """Every API operation, from the OpenAPI schema: each path × method."""
    schema = api.get_openapi_schema()
    out = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            names = tuple(p["name"] for p in op.get("parameters", []) if p["in"] == "path")
            route = path.removeprefix(API_PREFIX)
            body = op.get("requestBody", {}).get("content", {})
            sample = _sample(schema, body["application/json"]["schema"]) if "application/json" in body else {}
            form = body.get("multipart/form-data")
            out.append(
                Endpoint(f"{method.upper()} {route}", path, names, api=True, method=method.upper(),
                         body=json.dumps(sample, default=str),
                         form=tuple(_multipart(schema, form["schema"]).items()) if form else None)
            )  # fmt: skip
    return out


def _url(endpoint: Endpoint, values: dict[str, Any]) -> str:
    if endpoint.api:
        return endpoint.route.format(**values)
    return resolve_url(endpoint.key, **values)


def _outcome(response: Any, endpoint: Endpoint) -> str:
    """What a request got, as the table says it: ok, 403, 404, login (pages) or 401 (API).

    An API 422 is not "ok": django-ninja answers it when the body does not parse, before the view
    and so before any permission check; the body the matrix sends must parse (``_sample``).
    """
    code = response.status_code
    if code in (401, 403, 404):
        return str(code)
    if code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return "login"
    if code in (200, 201, 202, 204, 302, 400, 409) or (code == 422 and not endpoint.api):
        return "ok"
    return str(code)  # 405 (the table's method is wrong), 422 (the body does not parse), 500, …


def _sided(endpoint: Endpoint) -> bool:
    """Whether the body names something of a mission (then another mission's request differs)."""
    fields = dict(endpoint.form) if endpoint.form is not None else json.loads(endpoint.body)
    return isinstance(fields, dict) and (bool(set(fields) & set(BODY_FIELDS)) or endpoint.key in BODY_EXTRA)


def _request(
    client: Client, endpoint: Endpoint, method: str, url: str, token: str | None, world: World, side: str
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    call = getattr(client, method.lower())
    if method == "GET":
        return call(url, headers=headers)
    if endpoint.form is not None:
        return call(url, _files(body_for(world, side, dict(endpoint.form), endpoint.key)), headers=headers)
    if endpoint.api:
        body = json.loads(endpoint.body)
        body = body_for(world, side, body, endpoint.key) if isinstance(body, dict) else body
        return call(url, json.dumps(body, default=str), content_type="application/json", headers=headers)
    return call(url, {}, headers=headers)


def run(world: World, endpoints: list[Endpoint]) -> tuple[dict[str, dict[str, str]], int, dict[str, str]]:
    """Every endpoint for every (role, side) and anonymously: {key: {who: outcome}}, how many requests,
    and {key who: status and message} of each answer that was not a plain success (for the record)."""
    clients: dict[str, Client] = {}
    for role, user in world.users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    clients[ANONYMOUS] = Client(raise_request_exception=False)
    # One client for the whole API, with no cookie: the token says who asks. (A Client per request
    # would load the middleware each time: half the matrix's time went there.)
    api_client = Client(raise_request_exception=False)
    seen: dict[str, dict[str, str]] = {}
    detail: dict[str, str] = {}
    count = 0
    timings: dict[str, float] = {}
    by_outcome: dict[str, float] = {}
    for endpoint in endpoints:
        method = endpoint.method if endpoint.api else matrix.page_method(endpoint.key)
        row = seen.setdefault(endpoint.key, {})
        rule = matrix.rule_for(endpoint.key, api=endpoint.api)
        want = matrix.expected(rule, api=endpoint.api) if rule else {}
        once = endpoint.key in matrix.RENDER_ONCE and rule is not None
        sided = endpoint.api and _sided(endpoint)
        began = time.perf_counter()
        for who, side in WHO:
            label = who if side == "own" else f"{who}@other"
            if once and want.get(label) == "ok" and "ok" in row.values():
                row[label] = SAMPLED  # an expensive rendering, already shown to one allowed role
                continue
            user = world.users.get(who)
            try:
                url = _url(endpoint, fill(world, side, endpoint.key, list(endpoint.kwargs), user))
                url += "" if endpoint.api else query(world, side, endpoint.key)
            except (LookupError, KeyError) as exc:
                row[label] = f"no url: {exc}"
                continue
            if side == "other" and not endpoint.kwargs and endpoint.key not in QUERY and not sided:
                row[label] = row[who]  # names nothing of a mission: the same request as in its own
                continue
            token = world.tokens.get(who) if endpoint.api else None
            client = api_client if endpoint.api else clients[who]
            cookies = copy.deepcopy(client.cookies)
            asked = time.perf_counter()
            with transaction.atomic():
                response = _request(client, endpoint, method, url, token, world, side)
                transaction.set_rollback(True)
            client.cookies = cookies  # a logout (or a rotated session) must not sign the next request out
            count += 1
            row[label] = _outcome(response, endpoint)
            by_outcome[row[label]] = by_outcome.get(row[label], 0.0) + time.perf_counter() - asked
            if response.status_code not in (200, 302):
                text = response.content[:300].decode(errors="replace") if endpoint.api else ""
                detail[f"{endpoint.key} {label}"] = f"{response.status_code} {text}"
        timings[endpoint.key] = timings.get(endpoint.key, 0.0) + time.perf_counter() - began
    slowest = sorted(timings.items(), key=lambda kv: -kv[1])[:15]
    print("slowest:", ", ".join(f"{k} {v:.1f}s" for k, v in slowest))  # noqa: T201
    print("by outcome:", ", ".join(f"{k} {v:.1f}s" for k, v in sorted(by_outcome.items())))  # noqa: T201
    return seen, count, detail


def test_every_url_and_operation_answers_each_role_as_the_matrix_says() -> None:
    started = time.perf_counter()
    # Every refusal would be logged with its traceback: thousands of them, and a tenth of the run's time.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.CRITICAL
    world = build()
    built = time.perf_counter()
    page_list, left_out = pages()
    endpoints = page_list + operations()
    try:
        seen, count, detail = run(world, endpoints)
    finally:
        request_log.setLevel(level)
    took = time.perf_counter()
    print(  # noqa: T201 - the figures the report asks for, shown with -s
        f"\npermission matrix: {len(page_list)} URL patterns, {len(endpoints) - len(page_list)} API operations, "
        f"{count} requests; world {built - started:.1f}s, requests {took - built:.1f}s; "
        f"left out: {len(left_out)} ({', '.join(sorted({n.split(':')[0] for n in left_out}))})"
    )
    if path := os.environ.get("HOMEWARD_MATRIX_RECORD"):
        with open(path, "w") as out:
            json.dump({"seen": seen, "detail": detail, "missing": world.missing}, out, indent=1, sort_keys=True)
        return
    problems = [f"the world could not build: {m}" for m in world.missing]
    for endpoint in endpoints:
        rule = matrix.rule_for(endpoint.key, api=endpoint.api)
        if rule is None:
            where = "API" if endpoint.api else "PAGES"
            problems.append(
                f"{endpoint.key} ({endpoint.route}) is not in the permission matrix: add it to {where} "
                f"in tests/permissions/matrix.py, saying who may use it"
            )
            continue
        expected = matrix.expected(rule, api=endpoint.api)
        got = seen[endpoint.key]
        wrong = {who: (want, got.get(who)) for who, want in expected.items()
                 if got.get(who) != want and not (want == "ok" and got.get(who) == SAMPLED)}  # fmt: skip
        if wrong:
            detail = ", ".join(f"{who}: expected {want}, got {got}" for who, (want, got) in sorted(wrong.items()))
            problems.append(f"{endpoint.key} ({endpoint.route}): {detail}")
    stale = matrix.keys() - {e.key for e in endpoints}
    problems += [f"{key} is in the matrix but no longer exists: remove it" for key in sorted(stale)]
    assert not problems, f"{len(problems)} permission matrix problems:\n" + "\n".join(problems)


def test_the_admin_is_closed_to_every_role(gr: Mission) -> None:
    """The admin (left out of the matrix: Django's ``admin_view`` lets only staff in) sends every role away."""
    for role in Role:
        client = Client()
        client.force_login(UserFactory(username=f"admin-door.{role.value}", roles=[(gr, role)]))
        response = client.get(resolve_url("admin:index"))
        assert response.status_code == 302, role
        assert response["Location"].startswith(resolve_url("admin:login")), role
