"""POST /search/batch: one change to the photos ticked in the search results, or all matching."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.batch.forms import BatchForm
from archive.batch.services import Batch, BatchAction, BatchRefused, run_batch
from archive.search.query import read_search_request
from archive.security import no_store_for

bp = Blueprint("batch", __name__)


@bp.post("/search/batch")
@action_required(Action.BATCH_EDIT)
@no_store_for(Action.SEARCH_PEOPLE)  # "all matching" gender:woman lists who answered what
def run():
    """Make the change to each photo chosen that may have it; report what became of each.

    The search's own query parameters come with the form, so "all matching" is the search
    found again here, not a list of ids the page once showed.
    """
    asked = read_search_request(request.args)
    back = url_for("search.search_page", **request.args.to_dict())
    form = BatchForm()
    if not form.validate_on_submit():
        refused = "Choose a change with one of the form's buttons, for the photos ticked or all."
        return render_template("batch/report.html", refused=refused, back=back), 400
    batch = Batch(
        action=BatchAction(form.action.data),
        photo_ids=form.photo.data or [],
        all_matching=asked if form.which.data == "all" else None,
        term_ids=[term_id for term_id in (form.job_role.data, form.department.data) if term_id],
        licence_id=form.licence.data,
        exhibition_id=form.exhibition.data,
    )
    try:
        report = run_batch(batch, current_user)
    except BatchRefused as refused:
        return render_template("batch/report.html", refused=refused.description, back=back), 400
    return render_template("batch/report.html", report=report, back=back)
