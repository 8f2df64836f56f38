"""Admin pages: licences and the audit log."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from archive.auth.access import role_required
from archive.auth.models import Role, User
from archive.core.audit import AuditEvent
from archive.core.fields import sentence
from archive.extensions import db
from archive.rights.forms import LicenceForm
from archive.rights.licences import LICENCE_FIELDS, LicenceError, all_licences, save_licence
from archive.rights.models import Licence

bp = Blueprint("rights_admin", __name__, url_prefix="/admin")

AUDIT_PAGE_SIZE = 100


@bp.route("/licences", methods=["GET", "POST"])
@bp.route("/licences/<int:licence_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def licences(licence_id: int | None = None):
    """List licences; add one, or edit the one named in the URL."""
    licence = db.get_or_404(Licence, licence_id) if licence_id else None
    form = LicenceForm(obj=licence)
    if form.validate_on_submit():
        try:
            target = save_licence(
                licence, {name: form[name].data for name in LICENCE_FIELDS}, current_user
            )
        except LicenceError as error:
            form.code.errors.append(sentence(error))
        else:
            flash(f"Saved the licence {target.name}.")
            return redirect(url_for("rights_admin.licences"))
    return render_template(
        "rights/licences.html", licences=all_licences(), form=form, editing=licence
    ), 422 if form.errors else 200


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit():
    """Show the audit log, newest first, a page at a time."""
    before = request.args.get("before", type=int)
    query = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
    if before:
        query = query.where(AuditEvent.id < before)
    rows = db.session.execute(query.order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE_SIZE)).all()
    older = rows[-1][0].id if len(rows) == AUDIT_PAGE_SIZE else None
    return render_template("rights/audit.html", rows=rows, older=older)
