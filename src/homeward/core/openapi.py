"""The API's OpenAPI document says every answer an operation can give, errors included.

Some answers come from the framework or the middleware, not from the operation's own code, so
its ``response={...}`` cannot be relied on to list them: 401 for an operation that needs
credentials, 403 for one a role may not use, 404 where a path names an object (another
mission's object is 404 too), 422 for input that does not parse, 503 when the database cannot
be reached (core/dberrors.py). They are added here, all with the API's one error shape, so a
client (and schemathesis, tests/hardening) can rely on the document.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "message": {"title": "Message", "type": "string"},
        "fields": {
            "title": "Fields",
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["message", "fields"],
}
DESCRIPTIONS = {
    "401": "Not signed in, or no valid API token",
    "403": "Not allowed for your role",
    "404": "No such object, or not one of your missions'",
    "422": "The request does not parse: the fields say what is wrong",
    "503": "The database cannot be reached: nothing was saved, try again",
}
METHODS = {"get", "post", "put", "patch", "delete"}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the framework's and middleware's error answers on every operation that can give them."""
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault("Error", ERROR_SCHEMA)
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            codes = ["503"]
            if operation.get("security"):
                codes += ["401", "403"]
            if any(p.get("in") == "path" for p in parameters):
                codes.append("404")
            if parameters or "requestBody" in operation:
                codes.append("422")
            for code in codes:
                if code not in responses and int(code) not in responses:
                    responses[code] = _error(code)
    return schema


class HomewardNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        return add_error_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
