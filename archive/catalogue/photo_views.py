"""Home, my uploads, the review queue, photo pages and derivative files."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from archive.auth.access import Action, action_required, can
from archive.catalogue.review_queue import (
    approve_selected,
    filtered_queue,
    next_in_queue,
    queue_filters,
    uploaders_waiting,
)
from archive.consent.forms import ConsentRecordForm
from archive.consent.intake import consent_forms_of_batch
from archive.consent.models import ConsentScope
from archive.consent.requests import people_to_ask
from archive.consent.rules import allowed, can_view, may_edit, servable_sizes, visible_derivative
from archive.core.fields import add_error, sentence
from archive.downloads.services import downloads_of, may_download
from archive.extensions import db, login_manager
from archive.licences.services import all_licences
from archive.people.models import Vocabulary
from archive.people.services import all_people, terms
from archive.photos.events import all_events
from archive.photos.faces_rule import face_warning, is_blurred
from archive.photos.focal import focal_point
from archive.photos.forms import (
    ApproveSelectedForm,
    BlurForm,
    DescriptionForm,
    FocalPointForm,
    ReviewForm,
)
from archive.photos.models import Photo
from archive.photos.services import (
    FacesUnchecked,
    ReviewError,
    approve,
    reject,
    update_description,
    uploads_of,
)

bp = Blueprint("photos", __name__)

# Derivative URLs change whenever the content does, so browsers may keep them for a year;
# "private" keeps shared caches from serving a photo after its consent is withdrawn.
IMMUTABLE = "private, max-age=31536000, immutable"


@bp.get("/my-uploads")
@action_required(Action.UPLOAD)
def my_uploads():
    """List the current user's uploads with their review status."""
    photos = uploads_of(current_user)
    shown = {photo.id for photo in photos if can_view(current_user, photo)}
    return render_template("photos/my_uploads.html", photos=photos, shown=shown)


@bp.get("/review")
@action_required(Action.REVIEW)
def queue():
    """List photos awaiting review, filtered and ordered as the curator asked."""
    filters = queue_filters(request.args)
    photos = filtered_queue(filters)
    form = ApproveSelectedForm()
    form.photos.choices = [(photo.id, photo.display_title) for photo in photos]
    return render_template(
        "photos/queue.html",
        photos=photos,
        face_warnings={photo.id: face_warning(photo) for photo in photos},
        filters=filters,
        form=form,
        uploaders=uploaders_waiting(),
        departments=terms(Vocabulary.DEPARTMENT),
    )


@bp.post("/review/approve")
@action_required(Action.REVIEW)
def approve_many():
    """Approve the photos ticked on the queue that have what approval needs; say which not."""
    filters = queue_filters(request.args)
    form = ApproveSelectedForm()
    if not form.validate_on_submit() or not form.photos.data:
        flash("Tick the photos to approve first: none was selected.")
        return redirect(url_for("photos.queue", **filters.query_args()))
    outcomes = approve_selected(form.photos.data, current_user)
    approved = [o.photo.display_title for o in outcomes if o.approved]
    if approved:
        flash(f"Approved {len(approved)}: " + ", ".join(f"“{title}”" for title in approved) + ".")
    for outcome in outcomes:
        if not outcome.approved:
            flash(f"Not approved: “{outcome.photo.display_title}” — {sentence(outcome.reason)}")
    return redirect(url_for("photos.queue", **filters.query_args()))


@bp.route("/review/<int:photo_id>", methods=["GET", "POST"])
@action_required(Action.REVIEW)
def review(photo_id: int):
    """Approve or reject one photo, tagging it and linking the consent forms that came with it.

    After a decision the curator goes on to the next photo of the queue they came from.
    """
    photo = db.get_or_404(Photo, photo_id)
    if not can_view(current_user, photo):
        abort(404)
    filters = queue_filters(request.args)
    form = ReviewForm()
    form.set_choices(terms(Vocabulary.JOB_ROLE), terms(Vocabulary.DEPARTMENT), all_licences())
    if not form.is_submitted():
        form.job_roles.data = [t.id for t in photo.tags if t.vocabulary == Vocabulary.JOB_ROLE]
        form.departments.data = [t.id for t in photo.tags if t.vocabulary == Vocabulary.DEPARTMENT]
        form.licence.data = photo.licence_id
    status = 200
    if form.validate_on_submit():
        try:
            if form.approve.data:
                approve(
                    photo,
                    current_user,
                    tag_ids=form.tag_ids(),
                    licence_id=form.licence.data or None,
                    faces_confirmed=form.faces_checked.data,
                )
                done = "Approved"
            else:
                reject(photo, current_user, reason=form.note.data)
                done = "Rejected"
            return _go_on(filters, photo, done)
        except ReviewError as error:
            unchecked = isinstance(error, FacesUnchecked)
            add_error(form.faces_checked if unchecked else form.note, sentence(error))
    if form.errors:
        status = 422
    consent_forms = consent_forms_of_batch(photo)
    record_forms = {cf.id: _consent_record_form(cf, photo) for cf in consent_forms}
    return render_template(
        "photos/review.html",
        photo=photo,
        form=form,
        filters=filters,
        consent_forms=consent_forms,
        record_forms=record_forms,
        decisions=_decisions(photo),
        to_ask=people_to_ask(photo),
        face_warning=face_warning(photo),
        blurred_faces={face.number for face in photo.faces if is_blurred(photo, face)},
        blur_form=BlurForm(),
        focal_form=_focal_form(photo),
        back="review",
    ), status


def _go_on(filters, decided: Photo, done: str):
    """Redirect to the next photo of the queue, at its heading, or to the queue at its end."""
    following = next_in_queue(filters, decided)
    if following is None:
        flash(f"{done} “{decided.display_title}”. That was the last photo in the queue.")
        return redirect(url_for("photos.queue", **filters.query_args()))
    flash(f"{done} “{decided.display_title}”. Next in the queue: “{following.display_title}”.")
    return redirect(
        url_for(
            "photos.review",
            photo_id=following.id,
            **filters.query_args(),
            _anchor="photo-heading",
        )
    )


def _consent_record_form(consent_form, photo: Photo) -> ConsentRecordForm:
    """Prefill the form that records a consent form, proposing the photo's first person."""
    record = ConsentRecordForm(prefix=f"consent{consent_form.id}", obj=consent_form)
    record.set_people(all_people())
    if consent_form.person_id is None and photo.people:
        record.person.data = photo.people[0].id
    else:
        record.person.data = consent_form.person_id
    record.scopes.data = [scope.value for scope in consent_form.scopes]
    return record


def _focal_form(photo: Photo) -> FocalPointForm:
    """Return the focal point form showing where the photo's crops centre now, in %."""
    x, y = focal_point(photo)
    return FocalPointForm(formdata=None, x=round(x * 100, 1), y=round(y * 100, 1))


def _decisions(photo: Photo) -> dict[ConsentScope, object]:
    return {scope: allowed(photo, scope) for scope in ConsentScope}


@bp.get("/photos/<int:photo_id>")
def photo_page(photo_id: int):
    """Show a photo; what is shown about it depends on who is looking."""
    photo = db.session.get(Photo, photo_id)
    sizes = servable_sizes(photo, current_user) if photo is not None else frozenset()
    if not sizes:
        # Not 403: whether a photo exists is itself not for everyone to know.
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(404)
    reviewing = can(current_user, Action.REVIEW)
    theirs = current_user.is_authenticated and photo.uploaded_by_id == current_user.id
    return render_template(
        "photos/photo.html",
        photo=photo,
        sizes=sizes,
        show_status=reviewing or theirs,
        decisions=_decisions(photo) if reviewing else None,
        to_ask=people_to_ask(photo) if reviewing else [],
        can_download=may_download(current_user, photo),
        downloads=downloads_of(photo) if can(current_user, Action.SEE_DOWNLOADS_OF_PHOTO) else None,
        can_edit=may_edit(current_user, photo),
        blur_form=BlurForm() if reviewing else None,
        focal_form=_focal_form(photo) if reviewing else None,
        back="photo",
    )


@bp.route("/photos/<int:photo_id>/edit", methods=["GET", "POST"])
@action_required(Action.EDIT_PHOTO)
def edit_photo(photo_id: int):
    """Change a photo's title, caption, alt text and credit."""
    photo = db.get_or_404(Photo, photo_id)
    if not may_edit(current_user, photo):
        abort(404 if not can_view(current_user, photo) else 403)
    form = DescriptionForm(obj=photo)
    if can(current_user, Action.MANAGE_EVENTS):
        form.set_events(all_events())
    else:
        del form.event_id  # events are curators' records: the others keep the photo's as it is
    if form.validate_on_submit():
        if not form.alt_text.data:
            add_error(
                form.alt_text, "Describe the picture for people who cannot see it (alt text)."
            )
        else:
            update_description(
                photo,
                title=form.title.data,
                caption=form.caption.data,
                alt_text=form.alt_text.data,
                photographer=form.photographer.data,
                language=form.language.data,
                event_id=form.event_id.data if "event_id" in form else ...,
                by=current_user,
            )
            flash(f"Saved “{photo.display_title}”.")
            return redirect(url_for("photos.photo_page", photo_id=photo.id))
    return render_template("photos/edit.html", photo=photo, form=form), (
        422 if form.is_submitted() else 200
    )


@bp.get("/media/<string(length=64):sha256>.jpg")
def derivative_file(sha256: str):
    """Send a derivative JPEG to someone who may see its photo; 404 for everyone else."""
    derivative = visible_derivative(sha256.lower(), current_user)
    if derivative is None:
        abort(404)
    return derivative.send(cache_control=IMMUTABLE)
