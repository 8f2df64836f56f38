"""Curators' pages for consent forms."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import REVIEWERS, role_required
from archive.extensions import db
from archive.people.models import Person
from archive.people.services import all_people
from archive.rights.consent import record_consent
from archive.rights.forms import ConsentRecordForm
from archive.rights.models import ConsentForm, ConsentScope
from archive.storage import get_storage

bp = Blueprint("rights", __name__)


@bp.post("/consent/<int:form_id>")
@role_required(*REVIEWERS)
def record(form_id: int):
    """Record whose consent form this is, what it grants and when it was signed."""
    consent_form = db.get_or_404(ConsentForm, form_id)
    form = ConsentRecordForm(prefix=f"consent{form_id}")
    form.set_people(all_people())
    back = request.args.get("photo", type=int)
    if form.validate_on_submit():
        record_consent(
            consent_form,
            person=db.get_or_404(Person, form.person.data),
            scopes={ConsentScope(code) for code in form.scopes.data},
            signed_on=form.signed_on.data,
            expires_on=form.expires_on.data,
            recorded_by=current_user,
        )
        flash(f"Recorded the consent form of {consent_form.person.name}.")
        if back:
            return redirect(url_for("photos.review", photo_id=back))
        return redirect(url_for("photos.queue"))
    return render_template("rights/record.html", form=form, consent_form=consent_form), 422


@bp.get("/consent/<int:form_id>/file")
@role_required(*REVIEWERS)
def consent_file(form_id: int):
    """Send the signed form itself, to curators and admins only, never cached."""
    consent_form = db.get_or_404(ConsentForm, form_id)
    response = get_storage().send(
        consent_form.storage_key,
        content_type=consent_form.content_type,
        etag=consent_form.sha256,
        download_name=consent_form.original_filename or f"consent-{form_id}",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
