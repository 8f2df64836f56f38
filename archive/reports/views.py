"""The representation report page and its CSV."""

import csv
import io

from flask import Blueprint, Response, render_template

from archive.auth.access import REVIEWERS, role_required
from archive.reports.services import SUPPRESS_BELOW, representation

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/representation")
@role_required(*REVIEWERS)
def representation_page():
    """Show the breakdown tables with bars."""
    return render_template(
        "reports/representation.html", tables=representation(), threshold=SUPPRESS_BELOW
    )


@bp.get("/representation.csv")
@role_required(*REVIEWERS)
def representation_csv():
    """Download the same suppressed aggregates as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["characteristic", "category", "people", "approved photos"])
    for table in representation():
        for row in table.rows:
            writer.writerow([table.title, row.label, row.people, row.photos])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="representation.csv"'},
    )
