"""The personal consent link: a person gives, changes or withdraws consent without an account.

A link carries a signed, expiring token naming the person and their link version. What
they submit becomes a ConsentForm with a generated PDF record, exactly as if a signed paper
form had been uploaded, and it supersedes their earlier forms, so their latest answer is
what counts. A withdrawal (by any route), an erasure and each newly issued link raise the
version, so an older link cannot give again what was withdrawn.
"""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired

from archive.auth.models import User
from archive.consent.intake import add_signed_form, end_consent_links, withdraw_consent
from archive.consent.link_tokens import link_token, link_url, serializer
from archive.consent.minors import Guardian, is_minor
from archive.consent.models import ConsentForm, ConsentScope
from archive.consent.receipts import queue_answer_receipt, queue_withdrawal_receipt
from archive.consent.records import write_text_pdf
from archive.consent.requests import mark_answered
from archive.consent.rules import servable_sizes
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.intake import RejectedUpload
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.people.edi import Answers, set_answers
from archive.people.models import Person
from archive.photos.file_boundary import one_file
from archive.photos.models import Derivative, Photo
from archive.photos.services import photos_of_person


class LinkError(Exception):
    """A consent link cannot be used; the message tells the person what to do."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def issue_link(person: Person, actor: User) -> str:
    """Return a new personal link token for the person, ending their older links; audit it."""
    with write_transaction():
        end_consent_links(person)
        record_event(actor, "consent.link_issued", "person", person.id)
    return link_token(person)


def person_for_link(token: str) -> Person:
    """Return the person a link token names, or raise LinkError saying why it cannot be used."""
    max_age = current_app.config["CONSENT_LINK_DAYS"] * 24 * 3600
    try:
        payload = serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkError(
            "This consent link has expired. Please ask the project team for a new one.", 410
        ) from None
    except BadSignature:
        raise LinkError(
            "This consent link is not valid. Check that you copied all of it, "
            "or ask the project team for a new one.",
            404,
        ) from None
    person = db.session.get(Person, payload.get("person"))
    if person is None or person.erased_at is not None:
        raise LinkError("This consent link is no longer in use.", 404)
    # Links issued before the version was carried have none: they are ended as well.
    if payload.get("version") != person.consent_link_version:
        raise LinkError(
            "This consent link is no longer valid. Please ask the project team for a new one.", 410
        )
    return person


def photos_for_link(person: Person) -> list[Photo]:
    """Return the person's photos their link shows (see consent.rules.servable_sizes)."""
    return [
        photo for photo in photos_of_person(person) if servable_sizes(photo, link_person=person)
    ]


def thumb_for_link(person: Person, sha256: str) -> Derivative | None:
    """Return the derivative with this SHA-256 the link may send, or None."""
    return next(
        (
            derivative
            for photo in photos_of_person(person)
            for derivative in photo.derivatives
            if derivative.sha256 == sha256
            and derivative.kind in servable_sizes(photo, link_person=person)
        ),
        None,
    )


def answered_by_guardian(person: Person, today: date | None = None) -> bool:
    """Return whether the person's link is addressed to their parent or guardian: under 18."""
    return is_minor(person, today or date.today())


def active_forms(person: Person, today: date | None = None) -> list[ConsentForm]:
    """Return the person's recorded forms that are neither withdrawn nor expired."""
    today = today or date.today()
    return [form for form in person.consent_forms if form.state(today) == "valid"]


def give_consent(
    person: Person,
    *,
    scopes: set[ConsentScope],
    typed_name: str,
    answers: Answers,
    forget_earlier_answers: bool = False,
    guardian: Guardian | None = None,
    today: date | None = None,
) -> ConsentForm:
    """Record what the person agreed to through their link; earlier forms are superseded.

    EDI questions left unanswered keep the person's earlier answer (the page never shows
    it), unless they ask for all earlier answers to be forgotten. For a person under 18 the
    parent or guardian answers, signing with their own name (`guardian`), and no EDI answer
    is asked: those are the child's own to give.
    """
    today = today or date.today()
    _check_who_answers(person, typed_name, guardian, today)
    expires_on = today + timedelta(days=365 * current_app.config["CONSENT_VALID_YEARS"])
    filename = f"consent-record-{person.id}-{today.isoformat()}.pdf"
    superseded_forms = active_forms(person, today)
    # The record is stored before anything earlier is superseded: a failure changes nothing.
    try:
        with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
            with one_file(filename):
                path = write_text_pdf(
                    Path(workdir) / "consent-record.pdf",
                    "Consent record: technician photography project",
                    _record_lines(person, scopes, typed_name, today, expires_on, guardian),
                )
            form = add_signed_form(
                person,
                path,
                filename,
                scopes=scopes,
                signed_on=today,
                expires_on=expires_on,
                by=None,
                source="self-service",
                guardian=guardian,
            )
    except RejectedUpload:
        raise LinkError(
            "Your answer could not be saved just now, and nothing has changed. "
            "Please try again in a few minutes.",
            503,
        ) from None
    for superseded in superseded_forms:
        withdraw_consent(
            superseded,
            by=None,
            on=today,
            reason="Superseded by consent given through the link.",
            superseded=True,
        )
    given = {key: value for key, value in answers.items() if value[0] or value[1].strip()}
    if not forget_earlier_answers:
        earlier = {a.attribute_id: (a.option_id, a.self_description) for a in person.edi}
        given = {**earlier, **given}
    with write_transaction():
        set_answers(person, given, actor=None)
        mark_answered(person, today)
        # The receipt says what was chosen, never the EDI answers given on the same page.
        queue_answer_receipt(person, form, change_url=link_url(person))
    return form


def withdraw_everything(person: Person, today: date | None = None) -> int:
    """Withdraw all of the person's current consents, as easily as they were given.

    The link used ends even when nothing was in force: giving consent again takes a new one.
    """
    today = today or date.today()
    forms = active_forms(person, today)
    for form in forms:
        withdraw_consent(form, by=None, on=today, reason="Withdrawn through the consent link.")
    with write_transaction():
        end_consent_links(person)
        mark_answered(person, today)
        queue_withdrawal_receipt(person, forms, today)
    return len(forms)


def _check_who_answers(
    person: Person, typed_name: str, guardian: Guardian | None, today: date
) -> None:
    """Refuse an answer from the wrong person: a child answers through a guardian, an adult
    for themselves, by typing their own name."""
    minor = is_minor(person, today)
    if minor and guardian is None:
        raise LinkError(f"{person.name} is under 18: a parent or guardian answers for them.", 422)
    if guardian is not None and not minor:
        raise LinkError(
            f"{person.name} is 18 now and answers for themselves. Please open the link again.",
            409,
        )
    if guardian is None and (
        " ".join(typed_name.split()).casefold() != " ".join(person.name.split()).casefold()
    ):
        raise LinkError(f"Please type your name exactly as shown: {person.name}.", 422)


def _record_lines(
    person: Person,
    scopes: set[ConsentScope],
    typed_name: str,
    today: date,
    expires_on: date,
    guardian: Guardian | None,
) -> list[str]:
    # The record says what was agreed; it never carries EDI answers.
    lines = [f"Name: {person.name}", f"Date: {today.isoformat()}"]
    if guardian is not None:
        lines += [
            f"Given by their parent or guardian: {guardian.name} ({guardian.relationship})",
            f"Contact: {guardian.contact}",
        ]
    lines.append("Uses of photographs of me:" if guardian is None else "Uses of their photographs:")
    lines += [
        f"  {'AGREED ' if scope in scopes else 'DECLINED'}  {scope.label}" for scope in ConsentScope
    ]
    lines += [
        f"Valid until {expires_on.isoformat()} unless withdrawn earlier.",
        f"Confirmed by typing the name: {typed_name}",
        "Given through a personal consent link; it can be withdrawn through the same link.",
    ]
    return lines
