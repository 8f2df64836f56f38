"""Curators' pages for group consent sheets: recording one, and each person's line of it."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.consent.forms import GroupSheetForm
from archive.consent.models import ConsentScope, ConsentSheet
from archive.consent.sheets import SheetRefused, read_new_people, record_group_sheet, sheet_lines
from archive.core.fields import add_error, sentence
from archive.core.intake import RejectedUpload
from archive.extensions import db
from archive.people.models import Person
from archive.people.services import all_people
from archive.photos.events import Event, all_events
from archive.security import no_store

bp = Blueprint("sheets", __name__, url_prefix="/consent/sheets")


@bp.route("/new", methods=["GET", "POST"])
@no_store
@action_required(Action.RECORD_CONSENT)
def new_sheet():
    """Record one signed sheet for many people, a line of it for each."""
    form = GroupSheetForm()
    form.set_choices(all_people(), all_events())
    if form.validate_on_submit():
        if not (form.file.data and form.file.data.filename):
            add_error(form.file, "Choose the scanned sheet to upload.")
        else:
            try:
                sheet = record_group_sheet(
                    form.file.data.stream,
                    form.file.data.filename,
                    title=form.title.data or "",
                    event=db.session.get(Event, form.event.data) if form.event.data else None,
                    people=[db.session.get(Person, person_id) for person_id in form.people.data],
                    new_people=read_new_people(form.new_people.data or ""),
                    scopes={ConsentScope(code) for code in form.scopes.data},
                    signed_on=form.signed_on.data,
                    expires_on=form.expires_on.data,
                    by=current_user,
                )
            except RejectedUpload as error:
                add_error(form.file, sentence(error))
            except SheetRefused as error:
                add_error(form[error.field], sentence(error))
            else:
                flash(f"Recorded the group sheet for {len(sheet.lines)} people.")
                return redirect(url_for("sheets.sheet_page", sheet_id=sheet.id))
    status = 422 if form.is_submitted() else 200
    return render_template("consent/new_sheet.html", form=form), status


@bp.get("/<int:sheet_id>")
@no_store
@action_required(Action.RECORD_CONSENT)
def sheet_page(sheet_id: int):
    """Show a sheet and each person's line: what it grants today, withdrawn one by one."""
    sheet = db.get_or_404(ConsentSheet, sheet_id)
    today = date.today()
    return render_template(
        "consent/sheet.html", sheet=sheet, lines=sheet_lines(sheet, today), today=today
    )
