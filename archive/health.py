"""The health check load balancers and operators poll."""

from flask import Blueprint
from sqlalchemy import text

from archive.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/livez")
def livez():
    """Answer that the process serves requests, touching nothing (a liveness probe)."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy", reported, not raised
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
