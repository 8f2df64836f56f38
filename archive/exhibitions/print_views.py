"""The print pack route: a physical exhibition's files, labels and lists for the printer."""

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.exhibitions.models import Exhibition
from archive.exhibitions.print_pack import PrintPackRefused, print_pack
from archive.extensions import db
from archive.security import no_store

bp = Blueprint("print_pack", __name__, url_prefix="/curate")


@bp.post("/<int:exhibition_id>/print-pack")
@no_store  # originals at full size: no cache keeps a copy
@action_required(Action.CURATE_EXHIBITIONS)
def print_pack_zip(exhibition_id: int):
    """Download the print pack, or show what must be fixed before one can be made."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    try:
        pack = print_pack(
            exhibition,
            by=current_user,
            institution=current_app.config["INSTITUTION"],
            label_size=current_app.config["PRINT_LABEL_SIZE"],
        )
    except PrintPackRefused as refused:
        page = render_template(
            "exhibitions/print_refused.html", exhibition=exhibition, problems=refused.problems
        )
        return page, 409
    return Response(
        pack,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{exhibition.slug}-print-pack.zip"'},
    )
