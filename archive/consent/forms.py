"""Recording what a consent form grants; uploading a signed form; confirming an erasure."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from archive.consent.minors import Guardian
from archive.consent.models import ConsentScope
from archive.core.fields import TEXT, CheckboxesField, TickField, add_error, options
from archive.people.forms import edi_answers

SCOPE_CHOICES = [SelectChoice(scope.value, scope.label) for scope in ConsentScope]
# Paper forms signed before the archive asked about identity exhibitions never granted it.
SIGNED_ON_MISSING = "Enter the date the form was signed, as written on it."
RECORDED_SCOPES_HELP = (
    f"Tick “{ConsentScope.IDENTITY.label}” only if the signed form itself grants it."
)


class ConsentRecordForm(FlaskForm):
    """A curator records whose consent form this is and what it grants."""

    # A select without an empty first choice always has one chosen: HTML's `required` means
    # nothing there, and the Nu HTML Checker refuses it. The server still requires a person.
    person = SelectField(
        "Person who signed",
        coerce=int,
        validators=[InputRequired("Choose the person who signed the form.")],
        render_kw={"required": False},
    )
    scopes = CheckboxesField(
        "Uses agreed to", choices=SCOPE_CHOICES, description=RECORDED_SCOPES_HELP
    )
    signed_on = DateField("Signed on", validators=[InputRequired(SIGNED_ON_MISSING)])
    expires_on = DateField("Expires on (leave blank if it does not)", validators=[Optional()])

    def set_people(self, people) -> None:
        """Offer these people as the signatory."""
        self.person.choices = options(people)


class SelfServiceForm(FlaskForm):
    """What a person answers through their personal consent link (EDI fields are added)."""

    scopes = CheckboxesField(
        "I agree that photographs of me may be used for",
        choices=SCOPE_CHOICES,
        description="An exhibition about identity, such as one about women in technical "
        "roles, tells its visitors something about the people in it. You are shown in one "
        "only if you tick it, and its caption may name you.",
    )
    typed_name = StringField(
        "Type your full name to confirm",
        validators=[
            InputRequired("Type your full name to confirm these answers are yours."),
            Length(max=200),
        ],
    )
    forget_edi = TickField("Forget all the answers about me I gave before")

    def answer(self, attributes) -> dict:
        """Return what link.give_consent is given: the uses, the name typed, the EDI answers."""
        return {
            "scopes": {ConsentScope(code) for code in self.scopes.data},
            "typed_name": self.typed_name.data,
            "answers": edi_answers(self, attributes),
            "forget_earlier_answers": self.forget_edi.data,
        }

    @property
    def signature(self):
        """Return the field that signs the answer, where a refusal of it is shown."""
        return self.typed_name


class GuardianLinkForm(FlaskForm):
    """What a parent or guardian answers through the personal link of a child (no EDI: those
    answers are the child's own to give)."""

    scopes = CheckboxesField(
        "I agree that photographs of this child may be used for",
        choices=SCOPE_CHOICES,
        description="Public web galleries can be seen by anyone on the internet: a child's "
        "photographs are shown there only if you tick it. An exhibition about identity tells "
        "its visitors something about the people in it.",
    )
    guardian_name = StringField(
        "Your full name",
        validators=[InputRequired("Type your full name: it signs this answer."), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    guardian_relationship = StringField(
        "Your relationship to the child (e.g. mother, father, carer)",
        validators=[InputRequired("Say how you are related to the child."), Length(max=100)],
    )
    guardian_contact = StringField(
        "Your e-mail address or telephone number",
        validators=[
            InputRequired("Give an e-mail address or telephone number we can reach you at."),
            Length(max=254),
        ],
    )
    is_guardian = TickField(
        "I am this child's parent or legal guardian",
        validators=[DataRequired("Only a parent or legal guardian may answer for a child.")],
    )

    def answer(self, attributes) -> dict:
        """Return what link.give_consent is given: the uses and who signed, no EDI answer.

        Ticking the public web on a page addressed to the guardian is their explicit yes to it.
        """
        guardian = Guardian(
            self.guardian_name.data.strip(),
            self.guardian_relationship.data.strip(),
            self.guardian_contact.data.strip(),
            allows_web=ConsentScope.WEB.value in self.scopes.data,
        )
        scopes = {ConsentScope(code) for code in self.scopes.data}
        return {"scopes": scopes, "typed_name": guardian.name, "answers": {}, "guardian": guardian}

    @property
    def signature(self):
        """Return the field that signs the answer, where a refusal of it is shown."""
        return self.guardian_name


GUARDIAN_PART_MISSING = (
    "Enter the parent or guardian's name, relationship and contact, or leave all three blank."
)


class ConsentUploadForm(FlaskForm):
    """A signed paper form for one person; for someone under 18, who signed it for them."""

    file = FileField("Signed form (PDF, JPEG or PNG)", render_kw={"accept": ".pdf,image/*"})
    scopes = CheckboxesField(
        "Uses agreed to", choices=SCOPE_CHOICES, description=RECORDED_SCOPES_HELP
    )
    signed_on = DateField("Signed on", validators=[InputRequired(SIGNED_ON_MISSING)])
    expires_on = DateField("Expires on (leave blank if it does not)", validators=[Optional()])
    guardian_name = StringField("Parent or guardian's name", validators=[Length(max=200)], **TEXT)
    guardian_relationship = StringField(
        "Parent or guardian's relationship to the person (e.g. mother)",
        validators=[Length(max=100)],
        **TEXT,
    )
    guardian_contact = StringField(
        "Parent or guardian's e-mail address or telephone number",
        validators=[Length(max=254)],
        **TEXT,
    )
    guardian_allows_web = TickField(
        "The parent or guardian ticked public web galleries for this child",
        description="A child's photos are never shown on the public web without it.",
    )

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, and that a guardian is given in full or not at all."""
        valid = super().validate(extra_validators)
        parts = (self.guardian_name, self.guardian_relationship, self.guardian_contact)
        if any(part.data for part in parts) or self.guardian_allows_web.data:
            for part in parts:
                if not part.data:
                    add_error(part, GUARDIAN_PART_MISSING)
                    valid = False
        return valid

    def guardian(self) -> Guardian | None:
        """Return the parent or guardian entered, None if none was."""
        if not self.guardian_name.data:
            return None
        return Guardian(
            self.guardian_name.data,
            self.guardian_relationship.data,
            self.guardian_contact.data,
            self.guardian_allows_web.data,
        )


class EraseForm(FlaskForm):
    """An admin confirms erasing a person."""

    confirm_name = StringField(
        "Type the person's name to confirm",
        validators=[InputRequired("Type the person's full name to confirm the erasure.")],
    )
    delete_originals = TickField(
        "Also delete the original photo files and signed forms (cannot be undone)"
    )


class AskByEmailForm(FlaskForm):
    """A curator mails a person their consent link; the address is asked only if none is kept."""

    email = EmailField(
        "Their e-mail address",
        validators=[
            Optional(),
            Length(max=254, message="An e-mail address is at most 254 characters."),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message="Enter an e-mail address like name@example.ac.uk.",
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


class GroupSheetForm(FlaskForm):
    """One signed sheet for many people: the file, who is on it, what it grants, when."""

    file = FileField("Signed sheet (PDF, JPEG or PNG)", render_kw={"accept": ".pdf,image/*"})
    title = StringField(
        "Title (e.g. the class or team; the event's name if left blank)",
        validators=[Length(max=200)],
        **TEXT,
    )
    event = SelectField("Signed at the event", coerce=int, default=0)
    people = CheckboxesField("People on the sheet already in the archive", coerce=int)
    new_people = TextAreaField(
        "People on the sheet not yet in the archive, one a line",
        description="A name alone, or for someone under 18: name; parent or guardian's name; "
        "relationship; e-mail or telephone — and “; web” if the guardian ticked public web "
        "galleries.",
        validators=[Length(max=20000)],
    )
    scopes = CheckboxesField(
        "Uses agreed to by everyone on the sheet",
        choices=SCOPE_CHOICES,
        description=RECORDED_SCOPES_HELP,
    )
    signed_on = DateField("Signed on", validators=[InputRequired(SIGNED_ON_MISSING)])
    expires_on = DateField("Expires on (leave blank if it does not)", validators=[Optional()])

    def set_choices(self, people, events) -> None:
        """Offer these people and events."""
        self.people.choices = options(people)
        self.event.choices = options(events, lambda event: event.label, blank="No event")
