"""The personal consent link: public pages, no account, guarded by the signed token alone."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from archive.consent.forms import GuardianLinkForm, SelfServiceForm
from archive.consent.link import (
    LinkError,
    active_forms,
    answered_by_guardian,
    give_consent,
    person_for_link,
    photos_for_link,
    thumb_for_link,
    withdraw_everything,
)
from archive.links import KEYED_PAGE_HEADERS
from archive.people.edi import edi_attributes
from archive.people.forms import with_edi_fields

bp = Blueprint("consent_link", __name__, url_prefix="/my-consent")


def _person_or_error(token: str):
    try:
        return person_for_link(token), None
    except LinkError as error:
        return None, (render_template("consent/link_error.html", message=str(error)), error.status)


@bp.route("/<token>", methods=["GET", "POST"])
def respond(token: str):
    """Show the person their photos and let them give, change or withdraw consent."""
    person, failure = _person_or_error(token)
    if failure:
        return failure
    by_guardian = answered_by_guardian(person)
    # A child's link is answered by a parent or guardian, who is asked nothing about identity.
    attributes = [] if by_guardian else edi_attributes()
    form = GuardianLinkForm() if by_guardian else with_edi_fields(SelfServiceForm, attributes)()
    current = active_forms(person)
    if not form.is_submitted():
        form.scopes.data = sorted({scope.value for f in current for scope in f.scopes})
        # Earlier EDI answers are never shown: the link may have reached someone else.
    status = 200
    if form.validate_on_submit():
        try:
            give_consent(person, **form.answer(attributes))
        except LinkError as error:
            form.signature.errors.append(str(error))
            status = error.status
        else:
            flash("Thank you. Your answer is recorded; you can change it here at any time.")
            return redirect(url_for("consent_link.respond", token=token)), 303, KEYED_PAGE_HEADERS
    elif form.is_submitted():
        status = 422
    return (
        render_template(
            "consent/link.html",
            person=person,
            form=form,
            by_guardian=by_guardian,
            attributes=attributes,
            current=current,
            agreed=sorted({scope.label for consent in current for scope in consent.scopes}),
            today=date.today(),
            photos=photos_for_link(person),
            token=token,
        ),
        status,
        KEYED_PAGE_HEADERS,
    )


@bp.post("/<token>/withdraw")
def withdraw(token: str):
    """Withdraw everything the person agreed to, in one step; the link ends with it."""
    person, failure = _person_or_error(token)
    if failure:
        return failure
    # Shown here rather than after a redirect: the link's own page no longer opens.
    count = withdraw_everything(person)
    return render_template("consent/link_withdrawn.html", count=count), 200, KEYED_PAGE_HEADERS


@bp.get("/<token>/photo/<string(length=64):sha256>.jpg")
def photo_file(token: str, sha256: str):
    """Send a thumbnail of a photo the link's person is shown in, to them alone."""
    person, failure = _person_or_error(token)
    thumb = None if failure else thumb_for_link(person, sha256)
    if thumb is None:
        abort(404)
    return thumb.send(cache_control=KEYED_PAGE_HEADERS["Cache-Control"], headers=KEYED_PAGE_HEADERS)
