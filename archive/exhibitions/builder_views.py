"""The curators' exhibition builder."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.core.confirmation import confirmation_page, confirmed
from archive.core.fields import sentence
from archive.exhibitions.arrangement import (
    move_item,
    remove_item,
    set_cover,
    set_order,
    update_item,
)
from archive.exhibitions.consent import consent_needs, why_not_shown
from archive.exhibitions.exports import items_csv, static_site
from archive.exhibitions.featured import feature_profiles, featured_in, profile_choices
from archive.exhibitions.forms import ExhibitionForm, ItemForm, item_form
from archive.exhibitions.gallery import lost_items
from archive.exhibitions.introduction import IntroductionRefused
from archive.exhibitions.models import Exhibition, ExhibitionItem, ExhibitionUse, Visibility
from archive.exhibitions.services import (
    ExhibitionError,
    PublishRefused,
    add_photos,
    all_exhibitions,
    create_exhibition,
    problems_with,
    propose,
    publish,
    rotate_key,
    unpublish,
    update_details,
)
from archive.extensions import db
from archive.photos.services import photos_in_order
from archive.search.query import SearchRequest, search
from archive.security import no_store

bp = Blueprint("curate", __name__, url_prefix="/curate")


def _details(form: ExhibitionForm) -> dict:
    """Return what the details form says, as create_exhibition and update_details take it."""
    return {
        "title": form.title.data,
        "summary": form.summary.data or "",
        "body": form.body.data or "",
        "language": form.language.data,
        "visibility": Visibility(form.visibility.data),
        "use": ExhibitionUse(form.use.data),
        "about_identity": form.about_identity.data,
        "smart_rule": form.smart_rule.data,
    }


@bp.route("/", methods=["GET", "POST"])
@action_required(Action.CURATE_EXHIBITIONS)
def exhibitions():
    """List all exhibitions and start a new one."""
    form = ExhibitionForm()
    if form.validate_on_submit():
        try:
            exhibition = create_exhibition(
                slug=form.slug.data or "", by=current_user, **_details(form)
            )
        except IntroductionRefused as error:
            form.body.errors.append(sentence(error))
        except ExhibitionError as error:
            form.slug.errors.append(sentence(error))
        else:
            flash(f"Created “{exhibition.title}”: find photos to add below.")
            return redirect(url_for("curate.edit", exhibition_id=exhibition.id))
    return render_template("exhibitions/curate.html", form=form, exhibitions=all_exhibitions()), (
        422 if form.errors else 200
    )


@bp.route("/<int:exhibition_id>", methods=["GET", "POST"])
@no_store  # its smart rule and search may select by EDI answers (gender:woman)
@action_required(Action.CURATE_EXHIBITIONS)
def edit(exhibition_id: int):
    """Edit an exhibition: texts, items and their order; find photos to add."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    form = ExhibitionForm(obj=exhibition)
    if form.validate_on_submit():
        try:
            update_details(exhibition, by=current_user, **_details(form))
        except IntroductionRefused as error:
            form.body.errors.append(sentence(error))
        else:
            flash("Saved.")
            return redirect(url_for("curate.edit", exhibition_id=exhibition.id))
    text = request.args.get("q", "")
    found = [(photo, why_not_shown(exhibition, photo)) for photo in _found(text)] if text else []
    return render_template(
        "exhibitions/edit.html",
        exhibition=exhibition,
        form=form,
        item_forms={item.id: item_form(item) for item in exhibition.items},
        problems=problems_with(exhibition),
        needs=consent_needs(exhibition),
        proposals=propose(exhibition, current_user.role),
        lost=lost_items(exhibition),
        text=text,
        found=found,
        profiles=profile_choices(),
        featured={profile.id for profile in featured_in(exhibition)},
    ), (422 if form.errors else 200)


def _found(text: str):
    """Return the photos a builder search finds, in the index's order."""
    return photos_in_order(search(SearchRequest(text, per_page=48), current_user.role).photo_ids)


@bp.post("/<int:exhibition_id>/add")
@action_required(Action.CURATE_EXHIBITIONS)
def add(exhibition_id: int):
    """Add the photos ticked in the search results."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    photo_ids = [int(value) for value in request.form.getlist("photo") if value.isdigit()]
    count = add_photos(exhibition, photo_ids, by=current_user)
    flash(f"Added {count} photo{'s' if count != 1 else ''}.")
    return redirect(url_for("curate.edit", exhibition_id=exhibition.id))


def _item(exhibition_id: int, item_id: int) -> ExhibitionItem:
    item = db.get_or_404(ExhibitionItem, item_id)
    if item.exhibition_id != exhibition_id:
        abort(404)
    return item


def _back_to_item(exhibition_id: int, item_id: int):
    """Return to the builder, scrolled to the item just changed."""
    return redirect(url_for("curate.edit", exhibition_id=exhibition_id) + f"#item-{item_id}")


@bp.post("/<int:exhibition_id>/items/<int:item_id>", endpoint="update_item")
@action_required(Action.CURATE_EXHIBITIONS)
def save_item(exhibition_id: int, item_id: int):
    """Save an item's caption, alt text and section heading."""
    item = _item(exhibition_id, item_id)
    form = ItemForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        update_item(
            item,
            caption=form.caption.data,
            alt_text=form.alt_text.data,
            section=form.section.data,
            by=current_user,
        )
        flash("Item saved.")
    return _back_to_item(exhibition_id, item_id)


@bp.post("/<int:exhibition_id>/items/<int:item_id>/move")
@action_required(Action.CURATE_EXHIBITIONS)
def move(exhibition_id: int, item_id: int):
    """Move an item one place up or down (the keyboard-friendly way to reorder)."""
    item = _item(exhibition_id, item_id)
    up = request.form.get("direction") == "up"
    move_item(item, -1 if up else 1, by=current_user)
    flash(
        f"Moved “{item.photo.display_title}” {'up' if up else 'down'} to place {item.position + 1}."
    )
    return _back_to_item(exhibition_id, item_id)


@bp.post("/<int:exhibition_id>/order")
@action_required(Action.CURATE_EXHIBITIONS)
def order(exhibition_id: int):
    """Save the order the items were dragged into (comma-separated item ids)."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    ids = [int(part) for part in request.form.get("order", "").split(",") if part.isdigit()]
    set_order(exhibition, ids, by=current_user)
    return {"order": [item.id for item in exhibition.items]}


@bp.post("/<int:exhibition_id>/profiles")
@action_required(Action.CURATE_EXHIBITIONS)
def feature(exhibition_id: int):
    """Feature the ticked career profiles on the exhibition's gallery."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    profile_ids = [int(value) for value in request.form.getlist("profile") if value.isdigit()]
    count = feature_profiles(exhibition, profile_ids, by=current_user)
    flash(f"Featuring {count} career profile{'s' if count != 1 else ''}.")
    return redirect(url_for("curate.edit", exhibition_id=exhibition.id, _anchor="profiles"))


@bp.post("/<int:exhibition_id>/items/<int:item_id>/cover")
@action_required(Action.CURATE_EXHIBITIONS)
def cover(exhibition_id: int, item_id: int):
    """Make an item's photo the exhibition's cover (shown in the index and when shared)."""
    set_cover(_item(exhibition_id, item_id), by=current_user)
    flash("Cover chosen.")
    return _back_to_item(exhibition_id, item_id)


@bp.post("/<int:exhibition_id>/items/<int:item_id>/remove")
@action_required(Action.CURATE_EXHIBITIONS)
def remove(exhibition_id: int, item_id: int):
    """Take an item out of the exhibition (the photo stays in the archive), once confirmed."""
    item = _item(exhibition_id, item_id)
    title = item.photo.display_title
    if not confirmed():
        return confirmation_page(
            question=f"Remove “{title}” from “{item.exhibition.title}”?",
            consequences=[
                "The item leaves the exhibition, with the caption and alt text written for it "
                "here. The photo stays in the archive, and can be added again.",
            ],
            confirm_label="Remove item",
            cancel_url=url_for("curate.edit", exhibition_id=exhibition_id) + f"#item-{item_id}",
        )
    remove_item(item, by=current_user)
    flash(f"Removed “{title}” from the exhibition.")
    return redirect(url_for("curate.edit", exhibition_id=exhibition_id))


@bp.post("/<int:exhibition_id>/publish")
@action_required(Action.CURATE_EXHIBITIONS)
def publish_exhibition(exhibition_id: int):
    """Publish, or say what must be fixed first."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    try:
        publish(exhibition, by=current_user)
    except PublishRefused as refused:
        flash("Not published. Fix these first: " + " ".join(refused.problems))
        return redirect(url_for("curate.edit", exhibition_id=exhibition.id)), 303
    flash("Published.")
    return redirect(url_for("exhibitions.gallery", slug=exhibition.slug))


@bp.post("/<int:exhibition_id>/rotate-key")
@action_required(Action.CURATE_EXHIBITIONS)
def rotate_exhibition_key(exhibition_id: int):
    """Give the exhibition a new secret link; the old link stops working."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    rotate_key(exhibition, by=current_user)
    flash("The exhibition has a new secret link; the old one no longer works.")
    return redirect(url_for("curate.edit", exhibition_id=exhibition.id)), 303


@bp.post("/<int:exhibition_id>/unpublish")
@action_required(Action.CURATE_EXHIBITIONS)
def unpublish_exhibition(exhibition_id: int):
    """Take a published exhibition back to a draft."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    try:
        unpublish(exhibition, by=current_user)
    except ExhibitionError as error:
        flash(sentence(error))
    else:
        flash("Unpublished: the exhibition is a draft again, seen only by curators.")
    return redirect(url_for("curate.edit", exhibition_id=exhibition.id)), 303


@bp.get("/<int:exhibition_id>/export.csv")
@action_required(Action.CURATE_EXHIBITIONS)
def export_csv(exhibition_id: int):
    """Download the shown items with captions and credits as CSV."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    return Response(
        items_csv(exhibition, current_app.config["INSTITUTION"]),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{exhibition.slug}.csv"'},
    )


@bp.get("/<int:exhibition_id>/export.zip")
@action_required(Action.CURATE_EXHIBITIONS)
def export_site(exhibition_id: int):
    """Download the exhibition as a static site for a kiosk (opens from disk, offline)."""
    exhibition = db.get_or_404(Exhibition, exhibition_id)
    return Response(
        static_site(exhibition, current_app.config["INSTITUTION"]),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{exhibition.slug}.zip"'},
    )
