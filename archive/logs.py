"""Log lines as JSON, one per request too, each carrying the id of the request it belongs to."""

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream

from archive.library_logs import quiet_libraries

REQUEST_ID_HEADER = "X-Request-ID"
# An id set by the proxy in front is kept only when short and plain: it is logged and echoed.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, request id, fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a line of JSON (a traceback, if any, under "exception")."""
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            line["request_id"] = record.request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id when it is made, not when written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add record.request_id inside a request; let every record through."""
        if has_request_context():
            record.request_id = g.get("request_id")
        return True


class RouteLoggingFlask(Flask):
    """Flask, logging an unexpected error by its route pattern instead of its URL."""

    def log_exception(self, exc_info: ExcInfo) -> None:
        """Log the traceback with the method and route; Flask's own line names the full path."""
        route = _route()
        self.logger.error(
            "Exception on %s [%s]",
            route,
            request.method,
            exc_info=exc_info,
            extra={"fields": {"method": request.method, "route": route}},
        )


def init_app(app: Flask) -> None:
    """Log as JSON lines on the server's error stream, and give every request an id."""
    logger = app.logger  # logging.getLogger("archive"): one per process, shared by every app
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(wsgi_errors_stream)
        handler.setFormatter(JsonFormatter())
        logger.removeHandler(default_handler)
        logger.addHandler(handler)
        logger.addFilter(RequestIdFilter())
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    quiet_libraries()
    app.before_request(_assign_request_id)
    app.after_request(_log_request)


@contextmanager
def logged_to_file(app: Flask, path: Path) -> Iterator[Path]:
    """Write the app's log lines to a file instead of the terminal while the block runs.

    A command such as import shows a person a progress bar and one line per refused file;
    the tracebacks of unexpected errors go to this file, which the command then names.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(JsonFormatter())
    logger = app.logger
    terminal = [h for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]
    for other in terminal:
        logger.removeHandler(other)
    logger.addHandler(handler)
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        handler.close()
        for other in terminal:
            logger.addHandler(other)


def _assign_request_id() -> None:
    """Take the proxy's request id if plain, else make one; start the request's clock."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _PLAIN_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    """Send the request id back and log one line about the request."""
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    route = _route()
    elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
    current_app.logger.info(
        "%s %s %s",
        request.method,
        route,
        response.status_code,
        extra={
            "fields": {
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            }
        },
    )
    return response


def _route() -> str:
    """Return the current request's route pattern, e.g. /my-consent/<token>."""
    # The route, not the URL: paths carry consent-link tokens, query strings search terms
    # that may name EDI answers (gender:…), and neither may reach a log line.
    return request.url_rule.rule if request.url_rule else "(no route)"
