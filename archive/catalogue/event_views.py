"""Curators' pages for events: the list, the form, and each event's photos and consents."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.catalogue.events import event_photos
from archive.extensions import db
from archive.photos.events import Event, all_events, save_event
from archive.photos.forms import EventForm
from archive.security import no_store

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.get("/")
@action_required(Action.MANAGE_EVENTS)
def index():
    """List the events, the latest first."""
    return render_template("events/index.html", events=all_events())


@bp.route("/new", methods=["GET", "POST"])
@no_store
@action_required(Action.MANAGE_EVENTS)
def new():
    """Add an event."""
    return _edit(Event(), "Add an event")


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@no_store
@action_required(Action.MANAGE_EVENTS)
def edit(event_id: int):
    """Change an event's details or its notice."""
    event = db.get_or_404(Event, event_id)
    return _edit(event, f"Edit {event.title}")


def _edit(event: Event, heading: str):
    form = EventForm(obj=event)
    if form.validate_on_submit():
        save_event(
            event,
            title=form.title.data,
            held_on=form.held_on.data,
            place=form.place.data or "",
            organiser=form.organiser.data or "",
            notice=form.notice.data or "",
            by=current_user,
        )
        flash(f"Saved {event.title}.")
        return redirect(url_for("events.event_page", event_id=event.id))
    status = 422 if form.is_submitted() else 200
    return render_template("events/edit.html", form=form, event=event, heading=heading), status


@bp.get("/<int:event_id>")
@no_store
@action_required(Action.MANAGE_EVENTS)
def event_page(event_id: int):
    """Show an event, its notice, and every photo from it with who is in it and their consent."""
    event = db.get_or_404(Event, event_id)
    return render_template("events/event.html", event=event, photos=event_photos(event))
