"""How every /api/ URL answers: JSON, errors in one shape, readable by other sites for visitors."""

from flask import Response, jsonify, request
from flask_login import current_user

from archive.security import readable_by_any_site

PREFIX = "/api/"

# What each error status is called in an answer's error.code, for programs to tell apart.
ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
    500: "server_error",
    503: "busy",
}


def is_api_request() -> bool:
    """Return whether the request is for an /api/ URL, which answers in JSON, errors included."""
    return request.path.startswith(PREFIX)


def json_answer(body: dict, status: int = 200) -> Response:
    """Return the body as a JSON response; readable by scripts on any site for a visitor.

    A signed-in caller's answer may show what visitors may not see, so it stays this site's.
    """
    response = jsonify(body)
    response.status_code = status
    if not current_user.is_authenticated:
        readable_by_any_site(response)
    return response


def error_answer(status: int, message: str, code: str | None = None) -> Response:
    """Return `{"error": {"code", "message"}}` with the status; message is for a person."""
    code = code or ERROR_CODES.get(status, "error")
    return json_answer({"error": {"code": code, "message": message}}, status)
