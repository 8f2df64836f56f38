"""The representation report page and its CSV."""

from flask import Blueprint, Response, render_template, request

from archive.auth.access import Action, action_required
from archive.exhibitions.models import Exhibition
from archive.exhibitions.services import all_exhibitions
from archive.extensions import db
from archive.reports.services import SUPPRESS_BELOW, representation, tables_csv
from archive.security import no_store

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _chosen() -> Exhibition | None:
    exhibition_id = request.args.get("exhibition", type=int)
    return db.session.get(Exhibition, exhibition_id) if exhibition_id else None


def _tables(exhibition: Exhibition | None):
    if exhibition is None:
        return representation()
    return representation([item.photo_id for item in exhibition.items])


@bp.get("/representation")
@no_store
@action_required(Action.SEE_REPORTS)
def representation_page():
    """Show the breakdown tables with bars, for the archive or one exhibition."""
    exhibition = _chosen()
    return render_template(
        "reports/representation.html",
        tables=_tables(exhibition),
        threshold=SUPPRESS_BELOW,
        exhibitions=all_exhibitions(by_title=True),
        chosen=exhibition,
    )


@bp.get("/representation.csv")
@no_store
@action_required(Action.SEE_REPORTS)
def representation_csv():
    """Download the same suppressed aggregates as CSV, safe to open in a spreadsheet."""
    return Response(
        tables_csv(_tables(_chosen())),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="representation.csv"'},
    )
