"""Career profiles: the public index and pages, and the curators' form from the person page."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.core.fields import add_error, sentence
from archive.extensions import db
from archive.page_cache import for_visitors
from archive.people.models import Person
from archive.profiles.forms import ProfileForm
from archive.profiles.services import ProfileRefused, photos_of, profile_of, save_profile
from archive.profiles.showing import public_profile, shown_profiles, why_hidden
from archive.security import no_store

bp = Blueprint("profiles", __name__)


# The page cache's content version counts every change, a consent withdrawn through the
# personal link among them, and its key holds the day: a profile whose consent went is
# gone from both pages on the next request, with nothing else to invalidate.
@bp.get("/profiles/")
@for_visitors()
def index():
    """List the career profiles visitors may see today."""
    return render_template("profiles/index.html", profiles=shown_profiles())


@bp.get("/profiles/<profile_slug>")
@for_visitors()
def profile_page(profile_slug: str):
    """Show one career profile; 404 unless visitors may see it today."""
    profile = public_profile(profile_slug)
    if profile is None:
        abort(404)
    return render_template("profiles/profile.html", profile=profile)


@bp.route("/people/<int:person_id>/profile", methods=["GET", "POST"])
@no_store
@action_required(Action.MANAGE_PEOPLE)
def edit(person_id: int):
    """Write or change a person's career profile."""
    person = db.get_or_404(Person, person_id)
    if person.erased_at is not None:
        abort(404)  # someone erased has no page and no profile to write
    profile = profile_of(person)
    form = ProfileForm(obj=profile)
    choosable = photos_of(person)
    form.photos.choices = [(photo.id, photo.display_title) for photo in choosable]
    if not form.is_submitted() and profile is not None:
        form.photos.data = [chosen.photo_id for chosen in profile.photos]
    if form.validate_on_submit():
        try:
            profile = save_profile(
                person,
                headline=form.headline.data,
                story=form.story.data or "",
                photo_ids=form.photos.data or [],  # None when no box is ticked
                published=form.published.data,
                by=current_user,
            )
        except ProfileRefused as refused:
            add_error(form.story, sentence(refused))
        else:
            flash(f"Saved the profile of {person.name}.")
            return redirect(url_for("profiles.edit", person_id=person.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "profiles/edit.html",
        form=form,
        person=person,
        profile=profile,
        photos={photo.id: photo for photo in choosable},
        hidden=why_hidden(profile) if profile else "",
    ), status
