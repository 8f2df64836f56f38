"""Curators' pages for people: records, EDI answers, consent forms, links and erasure."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.consent.erasure import erase_person
from archive.consent.forms import AskByEmailForm, ConsentUploadForm, EraseForm
from archive.consent.intake import add_signed_form
from archive.consent.link import issue_link
from archive.consent.models import ConsentScope
from archive.consent.requests import ask_by_email
from archive.consent.rules import has_current_consent
from archive.core.fields import add_error, options, sentence
from archive.core.intake import RejectedUpload
from archive.extensions import db
from archive.links import public_url
from archive.people.edi import EdiQuestionError, add_edi_question, edi_attributes
from archive.people.forms import PersonForm, edi_answers, fill_edi, with_edi_fields
from archive.people.models import Person, Vocabulary
from archive.people.services import all_people, save_person, terms
from archive.photos.models import PhotoStatus
from archive.photos.services import photos_of_person
from archive.security import no_store

bp = Blueprint("people", __name__, url_prefix="/people")


def _person_form(person: Person | None = None):
    attributes = edi_attributes()
    form = with_edi_fields(PersonForm, attributes, whose="their")()
    form.job_role.choices = options(terms(Vocabulary.JOB_ROLE), blank="—")
    form.department.choices = options(terms(Vocabulary.DEPARTMENT), blank="—")
    if person is not None and not form.is_submitted():
        form.name.data, form.email.data = person.name, person.email
        form.job_role.data = person.job_role_id or 0
        form.department.data = person.department_id or 0
        form.born_on.data, form.under_18.data = person.born_on, person.under_18
        fill_edi(form, person, attributes)
    return form, attributes


@bp.get("/")
@action_required(Action.MANAGE_PEOPLE)
def index():
    """List people with the state of their consent."""
    people = all_people()
    consenting = {person.id for person in people if has_current_consent(person)}
    return render_template("people/index.html", people=people, consenting=consenting)


def _living_person(person_id: int) -> Person:
    """Return the person, or 404: someone erased has no page, takes no form and gets no link."""
    person = db.get_or_404(Person, person_id)
    if person.erased_at is not None:
        abort(404)
    return person


@bp.route("/new", methods=["GET", "POST"])
@no_store
@action_required(Action.MANAGE_PEOPLE)
def new():
    """Add a person."""
    return _edit(Person(), "people/new.html")


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@no_store
@action_required(Action.MANAGE_PEOPLE)
def person_page(person_id: int):
    """Show and edit a person: record, EDI answers, consent forms, photos."""
    person = _living_person(person_id)
    return _edit(person, "people/person.html")


def _edit(person: Person, template: str):
    form, attributes = _person_form(person if person.id else None)
    if form.validate_on_submit():
        save_person(
            person,
            name=form.name.data,
            email=form.email.data or "",
            job_role_id=form.job_role.data,
            department_id=form.department.data,
            born_on=form.born_on.data,
            under_18=form.under_18.data,
            answers=edi_answers(form, attributes),
            actor=current_user,
        )
        flash(f"Saved {person.name}.")
        return redirect(url_for("people.person_page", person_id=person.id))
    upload = ConsentUploadForm(prefix="consent")
    return _page(template, person, form, attributes, upload, 422 if form.errors else 200)


def _page(template: str, person: Person, form, attributes, upload, status: int, ask=None):
    """Render a person's page (or the new-person page) with its forms as they stand."""
    return render_template(
        template,
        person=person,
        form=form,
        attributes=attributes,
        upload=upload,
        ask=ask or AskByEmailForm(prefix="ask"),
        photos=photos_of_person(person, PhotoStatus.APPROVED) if person.id else [],
        today=date.today(),
    ), status


@bp.post("/<int:person_id>/consent")
@no_store
@action_required(Action.RECORD_CONSENT)
def upload_consent(person_id: int):
    """Store a signed paper form for the person and record what it grants."""
    person = _living_person(person_id)
    upload = ConsentUploadForm(prefix="consent")
    if upload.validate_on_submit() and not (upload.file.data and upload.file.data.filename):
        add_error(upload.file, "Choose the scanned form to upload.")
    elif upload.validate_on_submit():
        try:
            add_signed_form(
                person,
                upload.file.data.stream,
                upload.file.data.filename,
                scopes={ConsentScope(code) for code in upload.scopes.data},
                signed_on=upload.signed_on.data,
                expires_on=upload.expires_on.data,
                by=current_user,
                guardian=upload.guardian(),
            )
        except RejectedUpload as error:
            add_error(upload.file, sentence(error))
        else:
            flash("Recorded the signed consent form.")
            return redirect(url_for("people.person_page", person_id=person.id))
    form, attributes = _person_form(person)
    return _page("people/person.html", person, form, attributes, upload, 422)


@bp.post("/<int:person_id>/link")
@action_required(Action.RECORD_CONSENT)
def consent_link(person_id: int):
    """Make a personal consent link to send to the person."""
    person = _living_person(person_id)
    token = issue_link(person, current_user)
    url = public_url("consent_link.respond", token=token)
    return render_template("people/link.html", person=person, url=url)


@bp.post("/<int:person_id>/ask")
@no_store
@action_required(Action.RECORD_CONSENT)
def ask_for_consent(person_id: int):
    """Mail the person their consent link, with what they are asked; say if it could not go."""
    person = _living_person(person_id)
    ask = AskByEmailForm(prefix="ask")
    if ask.validate_on_submit():
        asking = ask_by_email([person], by=current_user, new_address=ask.email.data or "")
        if not asking.no_address:
            for said in asking.sentences():
                flash(said)
            return redirect(url_for("people.person_page", person_id=person.id, _anchor="ask"))
        add_error(ask.email, f"Enter {person.name}’s e-mail address to send the request to.")
    form, attributes = _person_form(person)
    upload = ConsentUploadForm(prefix="consent")
    return _page("people/person.html", person, form, attributes, upload, 422, ask=ask)


@bp.route("/<int:person_id>/erase", methods=["GET", "POST"])
@no_store
@action_required(Action.ERASE_PERSON)
def erase(person_id: int):
    """Erase a person after an explicit confirmation; show what was taken out and where."""
    person = _living_person(person_id)
    form = EraseForm()
    if form.validate_on_submit():
        if form.confirm_name.data.strip() != person.name:
            add_error(form.confirm_name, "Type the name exactly as shown to confirm.")
        else:
            erasure = erase_person(
                person, by=current_user, delete_originals=form.delete_originals.data
            )
            # Shown once, not redirected to: what was redacted is kept nowhere but the log.
            return render_template("people/erased.html", erasure=erasure)
    return render_template("people/erase.html", person=person, form=form), (
        422 if request.method == "POST" else 200
    )


@bp.route("/questions", methods=["GET", "POST"])
@action_required(Action.MANAGE_EDI_QUESTIONS)
def questions():
    """List the EDI questions and add one (admins)."""
    if request.method == "POST":
        try:
            attribute = add_edi_question(
                request.form.get("label") or "",
                (request.form.get("options") or "").splitlines(),
                by=current_user,
            )
        except EdiQuestionError as error:
            flash(sentence(error))
        else:
            flash(f"Added the question {attribute.label}.")
            return redirect(url_for("people.questions"))
    return render_template("people/questions.html", attributes=edi_attributes())
