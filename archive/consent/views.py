"""Curators' pages for consent: recording uploaded forms, withdrawal, renewal, the overview."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.consent.coming_of_age import consents_to_confirm
from archive.consent.forms import ConsentRecordForm
from archive.consent.intake import ConsentError, record_consent, renew_consent, withdraw_consent
from archive.consent.models import PHOTO_USES, ConsentForm, ConsentScope
from archive.consent.rules import blocked_photos, expiring_consents
from archive.core.audit import record_access
from archive.core.confirmation import confirmation_page, confirmed
from archive.core.fields import sentence
from archive.extensions import db
from archive.people.models import Person
from archive.people.services import all_people
from archive.photos.models import PhotoStatus
from archive.photos.services import photos_of_person

bp = Blueprint("consent", __name__)


@bp.get("/consent")
@action_required(Action.RECORD_CONSENT)
def overview():
    """List consents expiring in the next 30 days, guardians' consents of people now 18 and
    photos blocked for want of consent."""
    return render_template(
        "consent/overview.html",
        expiring=expiring_consents(30),
        to_confirm=consents_to_confirm(),
        today=date.today(),
        blocked=blocked_photos(),
        scopes=PHOTO_USES,
    )


@bp.post("/consent/<int:form_id>")
@action_required(Action.RECORD_CONSENT)
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
            # Back where the curator was: the same queue filters, at this form's entry. Names
            # with "_" are url_for's own options (_external, _scheme): never the caller's.
            queue_args = {
                name: value
                for name, value in request.args.items()
                if name not in ("photo", "photo_id") and not name.startswith("_")
            }
            return redirect(
                url_for("photos.review", photo_id=back, **queue_args, _anchor=f"consent-{form_id}")
            )
        return redirect(url_for("photos.queue"))
    return render_template("consent/record.html", form=form, consent_form=consent_form), 422


@bp.post("/consent/<int:form_id>/withdraw")
@action_required(Action.RECORD_CONSENT)
def withdraw(form_id: int):
    """Withdraw a consent from today, with the reason the person gave."""
    consent_form = db.get_or_404(ConsentForm, form_id)
    if not confirmed():
        return _ask_to_withdraw(consent_form)
    try:
        affected = withdraw_consent(
            consent_form, by=current_user, on=date.today(), reason=request.form.get("reason", "")
        )
    except ConsentError as error:
        flash(sentence(error))
    else:
        titles = ", ".join(photo.display_title for photo in affected) or "none"
        flash(
            f"Consent withdrawn. Approved photos affected ({len(affected)}): {titles}. "
            "They are out of every use it covered from now on."
        )
    return redirect(_back_to(consent_form))


def _ask_to_withdraw(consent_form: ConsentForm) -> str:
    """Render the question a withdrawal asks first, naming what it will stop."""
    whose = consent_form.person.name if consent_form.person else "this person"
    photos = (
        photos_of_person(consent_form.person, PhotoStatus.APPROVED) if consent_form.person else []
    )
    uses = ", ".join(sorted(scope.label.lower() for scope in consent_form.scopes)) or "no use"
    return confirmation_page(
        question=f"Withdraw {whose}’s consent?",
        consequences=[
            f"From today the consent no longer covers {uses}. {len(photos)} approved "
            f"photo{'' if len(photos) == 1 else 's'} of {whose} leave every use it covered: "
            "public pages, exhibitions, comms search, downloads and exports.",
            "Nothing is deleted, and the withdrawal is recorded. It cannot be undone: "
            "a new consent needs a newly signed form or their personal link.",
        ],
        confirm_label="Withdraw consent",
        cancel_url=_back_to(consent_form),
    )


@bp.post("/consent/<int:form_id>/renew")
@action_required(Action.RECORD_CONSENT)
def renew(form_id: int):
    """Set a new expiry date on a consent that still stands."""
    consent_form = db.get_or_404(ConsentForm, form_id)
    raw = request.form.get("expires_on", "")
    try:
        expires_on = date.fromisoformat(raw) if raw else None
        renew_consent(consent_form, expires_on=expires_on, by=current_user)
    except ValueError:
        flash("Give the new expiry date as a date (YYYY-MM-DD).")
    except ConsentError as error:
        flash(sentence(error))
    else:
        flash("Consent renewed.")
    return redirect(_back_to(consent_form))


def _back_to(consent_form: ConsentForm) -> str:
    if consent_form.person_id:
        return url_for("people.person_page", person_id=consent_form.person_id)
    return url_for("consent.overview")


@bp.get("/consent/<int:form_id>/file")
@action_required(Action.RECORD_CONSENT)
def consent_file(form_id: int):
    """Send the signed form itself, to curators and admins only, never cached."""
    consent_form = db.get_or_404(ConsentForm, form_id)
    record_access(current_user, "consent_file.opened", "consent_form", consent_form.id)
    return consent_form.send(
        cache_control="no-store",
        download_name=consent_form.original_filename or f"consent-{form_id}",
        private=True,  # a signed form never gets a link that works outside this check
    )
